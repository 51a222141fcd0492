using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PscaleBot.Bot.Work;

namespace PscaleBot.Bot.Tests.Work;

public sealed class BackgroundWorkServiceTests
{
    private static (BackgroundWorkQueue Queue, BackgroundWorkService Service) Create(BackgroundWorkOptions options, IMeterFactory? meters = null)
    {
        var wrapped = Options.Create(options);
        var services = new ServiceCollection().AddScoped<ScopedMarker>().AddMetrics().BuildServiceProvider();
        var queue = new BackgroundWorkQueue(wrapped, TimeProvider.System, meters ?? services.GetRequiredService<IMeterFactory>());
        var service = new BackgroundWorkService(
            queue, services.GetRequiredService<IServiceScopeFactory>(), wrapped, TimeProvider.System, NullLogger<BackgroundWorkService>.Instance);
        return (queue, service);
    }

    [Fact]
    public async Task Runs_each_item_in_its_own_scope()
    {
        var (queue, service) = Create(new BackgroundWorkOptions { MaxConcurrency = 1 });
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
        var (queue, _) = Create(new BackgroundWorkOptions { QueueLimit = 2 });
        var item = new BackgroundWorkItem("test", (_, _) => Task.CompletedTask);
        Assert.True(queue.TryEnqueue(item));
        Assert.True(queue.TryEnqueue(item));
        Assert.False(queue.TryEnqueue(item));
    }

    [Fact]
    public async Task A_failing_item_does_not_stop_the_worker()
    {
        var (queue, service) = Create(new BackgroundWorkOptions { MaxConcurrency = 1 });
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
        var (queue, service) = Create(new BackgroundWorkOptions { MaxConcurrency = 1, ItemTimeout = TimeSpan.FromMilliseconds(50) });
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

    [Fact]
    public async Task On_stop_queued_work_is_finished_within_the_drain_time_and_new_work_is_refused()
    {
        var (queue, service) = Create(new BackgroundWorkOptions { MaxConcurrency = 1, DrainTimeout = TimeSpan.FromSeconds(10) });
        await service.StartAsync(CancellationToken.None);
        var release = new TaskCompletionSource();
        var ran = new List<string>();
        queue.TryEnqueue(new BackgroundWorkItem("first", async (_, _) =>
        {
            await release.Task;
            lock (ran)
            {
                ran.Add("first");
            }
        }));
        queue.TryEnqueue(new BackgroundWorkItem("second", (_, _) =>
        {
            lock (ran)
            {
                ran.Add("second");
            }

            return Task.CompletedTask;
        }));

        var stopping = service.StopAsync(CancellationToken.None);
        Assert.False(queue.TryEnqueue(new BackgroundWorkItem("late", (_, _) => Task.CompletedTask)));
        release.SetResult();
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["first", "second"], ran);
    }

    [Fact]
    public async Task Work_not_finished_within_the_drain_time_is_handed_to_its_abandon_step_never_dropped()
    {
        var (queue, service) = Create(new BackgroundWorkOptions { MaxConcurrency = 1, DrainTimeout = TimeSpan.FromMilliseconds(200) });
        await service.StartAsync(CancellationToken.None);
        var started = new TaskCompletionSource();
        var abandoned = new List<(string, WorkInterruption)>();
        Func<IServiceProvider, WorkInterruption, CancellationToken, Task> Abandon(string name) => (_, why, _) =>
        {
            lock (abandoned)
            {
                abandoned.Add((name, why));
            }

            return Task.CompletedTask;
        };
        queue.TryEnqueue(new BackgroundWorkItem("stuck", async (_, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
        }, Abandon("stuck")));
        queue.TryEnqueue(new BackgroundWorkItem("waiting", (_, _) => Task.CompletedTask, Abandon("waiting")));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await service.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        // Both are told, in either order: the running one is cancelled while the waiting one is handed over.
        Assert.Equal([("stuck", WorkInterruption.Interrupted), ("waiting", WorkInterruption.NotStarted)], abandoned.OrderBy(a => a.Item1, StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_item_that_times_out_is_handed_to_its_abandon_step()
    {
        var (queue, service) = Create(new BackgroundWorkOptions { MaxConcurrency = 1, ItemTimeout = TimeSpan.FromMilliseconds(50) });
        await service.StartAsync(CancellationToken.None);
        var abandoned = new TaskCompletionSource<WorkInterruption>();
        queue.TryEnqueue(new BackgroundWorkItem("slow", (_, ct) => Task.Delay(Timeout.Infinite, ct), (_, why, _) =>
        {
            abandoned.SetResult(why);
            return Task.CompletedTask;
        }));

        Assert.Equal(WorkInterruption.TimedOut, await abandoned.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        await service.StopAsync(CancellationToken.None);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(3600)]
    public void A_drain_time_out_of_range_is_refused_with_a_sentence(int seconds)
    {
        var errors = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        var options = new BackgroundWorkOptions { DrainTimeout = TimeSpan.FromSeconds(seconds) };
        Assert.False(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(
            options, new System.ComponentModel.DataAnnotations.ValidationContext(options), errors, validateAllProperties: true));
        Assert.Contains(errors, e => e.ErrorMessage!.Contains("BackgroundWork:DrainTimeout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task One_users_burst_of_200_does_not_starve_another_users_single_command()
    {
        var (queue, service) = Create(new BackgroundWorkOptions { MaxConcurrency = 8, MaxPerUser = 2 });
        await service.StartAsync(CancellationToken.None);
        var release = new TaskCompletionSource();
        var aliceRunning = 0;
        var aliceMostAtOnce = 0;
        for (var i = 0; i < 200; i++)
        {
            Assert.True(queue.TryEnqueue(new BackgroundWorkItem($"alice {i}", async (_, _) =>
            {
                var now = Interlocked.Increment(ref aliceRunning);
                InterlockedMax(ref aliceMostAtOnce, now);
                await release.Task;
                Interlocked.Decrement(ref aliceRunning);
            }, Owner: "slack:user:ALICE")));
        }

        var bobRan = new TaskCompletionSource();
        Assert.True(queue.TryEnqueue(new BackgroundWorkItem("bob", (_, _) =>
        {
            bobRan.SetResult();
            return Task.CompletedTask;
        }, Owner: "slack:user:BOB")));

        // Alice's work never finishes until Bob's has run: with workers taken in arrival order, Bob would wait forever.
        await bobRan.Task.WaitAsync(TimeSpan.FromSeconds(30));
        release.SetResult();
        await service.StopAsync(CancellationToken.None);
        Assert.InRange(aliceMostAtOnce, 1, 2);
    }

    [Fact]
    public void A_burst_of_thousands_is_queued_not_refused()
    {
        // Not started: nothing drains, so every item must fit in the queue itself.
        var (queue, _) = Create(new BackgroundWorkOptions());
        for (var i = 0; i < 5_000; i++)
        {
            Assert.True(queue.TryEnqueue(new BackgroundWorkItem("burst", (_, _) => Task.CompletedTask, Owner: $"slack:user:U{i % 50}")));
        }

        Assert.Equal(5_000, queue.Waiting);
    }

    [Fact]
    public void A_user_flooding_the_queue_is_refused_before_anyone_else()
    {
        var (queue, _) = Create(new BackgroundWorkOptions { MaxWaitingPerUser = 3 });
        var item = new BackgroundWorkItem("flood", (_, _) => Task.CompletedTask, Owner: "slack:user:ALICE");
        for (var i = 0; i < 3; i++)
        {
            Assert.True(queue.TryEnqueue(item));
        }

        Assert.False(queue.TryEnqueue(item));
        Assert.True(queue.TryEnqueue(item with { Owner = "slack:user:BOB" }));
        Assert.Equal(DrainRate.Unknown, queue.RetryAfter("slack:user:ALICE"));
    }

    [Fact]
    public async Task Depth_in_flight_wait_and_refusals_are_published_on_the_PscaleBot_meter()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var depth = new MetricCollector<int>(meters, BackgroundWorkQueue.MeterName, "pscalebot.queue.depth");
        using var inFlight = new MetricCollector<int>(meters, BackgroundWorkQueue.MeterName, "pscalebot.queue.in_flight");
        using var wait = new MetricCollector<double>(meters, BackgroundWorkQueue.MeterName, "pscalebot.queue.wait");
        using var refused = new MetricCollector<long>(meters, BackgroundWorkQueue.MeterName, "pscalebot.queue.refused");
        var (queue, service) = Create(new BackgroundWorkOptions { MaxConcurrency = 1, QueueLimit = 2 }, meters);
        var release = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        queue.TryEnqueue(new BackgroundWorkItem("holds", async (_, _) =>
        {
            started.SetResult();
            await release.Task;
        }));
        await service.StartAsync(CancellationToken.None);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        queue.TryEnqueue(new BackgroundWorkItem("waits", (_, _) => Task.CompletedTask));
        queue.TryEnqueue(new BackgroundWorkItem("waits too", (_, _) => Task.CompletedTask));
        Assert.False(queue.TryEnqueue(new BackgroundWorkItem("refused", (_, _) => Task.CompletedTask)));

        depth.RecordObservableInstruments();
        inFlight.RecordObservableInstruments();
        Assert.Equal(2, depth.LastMeasurement!.Value);
        Assert.Equal(1, inFlight.LastMeasurement!.Value);
        Assert.Equal("queue_full", refused.LastMeasurement!.Tags["reason"]);

        release.SetResult();
        await service.StopAsync(CancellationToken.None);
        Assert.Equal(3, wait.GetMeasurementSnapshot().Count);
        Assert.All(wait.GetMeasurementSnapshot(), m => Assert.True(m.Value >= 0));
    }

    [Fact]
    public async Task The_old_worker_settings_are_refused_with_a_sentence_naming_the_new_ones()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["BackgroundWork:Workers"] = "8" });
        builder.AddBackgroundWork();
        using var host = builder.Build();
        var problem = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("BackgroundWork:MaxConcurrency", problem.Message, StringComparison.Ordinal);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private sealed class ScopedMarker;
}
