using System.ComponentModel.DataAnnotations;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace PscaleBot.Bot.Work;

/// <summary>A unit of work that outlives the request that queued it (posting a result to Slack or Teams).</summary>
/// <param name="Description">For logs; never contains secrets.</param>
/// <param name="Run">The work. It gets a fresh DI scope and the host's stopping token.</param>
public sealed record BackgroundWorkItem(string Description, Func<IServiceProvider, CancellationToken, Task> Run);

/// <summary>A bounded queue of work owned by <see cref="BackgroundWorkService"/>; never fire-and-forget tasks.</summary>
public interface IBackgroundWorkQueue
{
    /// <summary>Queues work; false when the queue is full, so the caller can answer "busy" at once.</summary>
    bool TryEnqueue(BackgroundWorkItem item);
}

/// <summary>Background work settings (section <c>BackgroundWork</c>).</summary>
public sealed class BackgroundWorkOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "BackgroundWork";

    /// <summary>Items waiting at most; past that new work is refused.</summary>
    [Range(1, 100_000)]
    public int Capacity { get; set; } = 512;

    /// <summary>Items running at once.</summary>
    [Range(1, 256)]
    public int Workers { get; set; } = 8;

    /// <summary>Longest one item may run before it is cancelled.</summary>
    public TimeSpan ItemTimeout { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>The channel behind <see cref="IBackgroundWorkQueue"/>.</summary>
public sealed class BackgroundWorkQueue(IOptions<BackgroundWorkOptions> options) : IBackgroundWorkQueue
{
    private readonly Channel<BackgroundWorkItem> channel = Channel.CreateBounded<BackgroundWorkItem>(
        new BoundedChannelOptions(options.Value.Capacity) { FullMode = BoundedChannelFullMode.Wait });

    /// <inheritdoc />
    public bool TryEnqueue(BackgroundWorkItem item) => channel.Writer.TryWrite(item);

    internal ChannelReader<BackgroundWorkItem> Reader => channel.Reader;

    internal void Complete() => channel.Writer.TryComplete();
}

/// <summary>Runs queued work with a fixed number of workers; on shutdown it finishes what is running.</summary>
public sealed partial class BackgroundWorkService(
    BackgroundWorkQueue queue,
    IServiceScopeFactory scopes,
    IOptions<BackgroundWorkOptions> options,
    ILogger<BackgroundWorkService> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.Workers).Select(_ => WorkAsync(stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var item in queue.Reader.ReadAllAsync(stoppingToken))
            {
                await RunOneAsync(item, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunOneAsync(BackgroundWorkItem item, CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(options.Value.ItemTimeout);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await item.Run(scope.ServiceProvider, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            LogTimedOut(item.Description);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The item owns its user-facing error reporting; this only keeps the worker alive.
            LogFailed(ex.GetType().Name, item.Description);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Background work '{Description}' timed out")]
    private partial void LogTimedOut(string description);

    [LoggerMessage(Level = LogLevel.Error, Message = "Background work '{Description}' failed with {ExceptionType}")]
    private partial void LogFailed(string exceptionType, string description);
}

/// <summary>Registers the background work queue.</summary>
public static class BackgroundWorkExtensions
{
    /// <summary>Adds the bounded queue and the hosted service that drains it.</summary>
    public static IHostApplicationBuilder AddBackgroundWork(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<BackgroundWorkOptions>()
            .Bind(builder.Configuration.GetSection(BackgroundWorkOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<BackgroundWorkQueue>();
        builder.Services.AddSingleton<IBackgroundWorkQueue>(sp => sp.GetRequiredService<BackgroundWorkQueue>());
        builder.Services.AddHostedService<BackgroundWorkService>();
        return builder;
    }
}
