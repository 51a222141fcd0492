using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PscaleBot.Bot.Work;

namespace PscaleBot.Bot.Tests.Work;

public sealed class BackgroundWorkServiceTests
{
    private static (BackgroundWorkQueue Queue, BackgroundWorkService Service) Create(BackgroundWorkOptions options)
    {
        var wrapped = Options.Create(options);
        var services = new ServiceCollection().AddScoped<ScopedMarker>().BuildServiceProvider();
        var queue = new BackgroundWorkQueue(wrapped);
        var service = new BackgroundWorkService(
            queue, services.GetRequiredService<IServiceScopeFactory>(), wrapped, NullLogger<BackgroundWorkService>.Instance);
        return (queue, service);
    }

    [Fact]
    public async Task Runs_each_item_in_its_own_scope()
    {
        var (queue, service) = Create(new BackgroundWorkOptions { Workers = 1 });
        await service.StartAsync(CancellationToken.None);
        var markers = new List<ScopedMarker>();
        var done = new TaskCompletionSource();
        for (var i = 0; i < 2; i++)
        {
            Assert.True(queue.TryEnqueue(new BackgroundWorkItem("test", (sp, _) =>
            {
                lock (markers)
                {
                    markers.Add(sp.GetRequiredService<ScopedMarker>());
                    if (markers.Count == 2)
                    {
                        done.SetResult();
                    }
                }

                return Task.CompletedTask;
            })));
        }

        await done.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await service.StopAsync(CancellationToken.None);
        Assert.NotSame(markers[0], markers[1]);
    }

    [Fact]
    public void Refuses_work_when_the_queue_is_full()
    {
        // Not started: nothing drains the queue.
        var (queue, _) = Create(new BackgroundWorkOptions { Capacity = 2 });
        var item = new BackgroundWorkItem("test", (_, _) => Task.CompletedTask);
        Assert.True(queue.TryEnqueue(item));
        Assert.True(queue.TryEnqueue(item));
        Assert.False(queue.TryEnqueue(item));
    }

    [Fact]
    public async Task A_failing_item_does_not_stop_the_worker()
    {
        var (queue, service) = Create(new BackgroundWorkOptions { Workers = 1 });
        await service.StartAsync(CancellationToken.None);
        var ranAfterFailure = new TaskCompletionSource();
        queue.TryEnqueue(new BackgroundWorkItem("boom", (_, _) => throw new InvalidOperationException("boom")));
        queue.TryEnqueue(new BackgroundWorkItem("after", (_, _) =>
        {
            ranAfterFailure.SetResult();
            return Task.CompletedTask;
        }));

        await ranAfterFailure.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task An_item_that_runs_too_long_is_cancelled_and_the_next_one_runs()
    {
        var (queue, service) = Create(new BackgroundWorkOptions { Workers = 1, ItemTimeout = TimeSpan.FromMilliseconds(50) });
        await service.StartAsync(CancellationToken.None);
        var cancelled = new TaskCompletionSource();
        var next = new TaskCompletionSource();
        queue.TryEnqueue(new BackgroundWorkItem("slow", async (_, ct) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            finally
            {
                cancelled.SetResult();
            }
        }));
        queue.TryEnqueue(new BackgroundWorkItem("next", (_, _) =>
        {
            next.SetResult();
            return Task.CompletedTask;
        }));

        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await next.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await service.StopAsync(CancellationToken.None);
    }

    private sealed class ScopedMarker;
}
