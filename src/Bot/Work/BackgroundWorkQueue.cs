using System.ComponentModel.DataAnnotations;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace PscaleBot.Bot.Work;

/// <summary>A unit of work that outlives the request that queued it (posting a result to Slack or Teams).</summary>
/// <param name="Description">For logs; never contains secrets.</param>
/// <param name="Run">The work. It gets a fresh DI scope and a token cancelled at its timeout or the end of the drain.</param>
/// <param name="Abandon">
/// What to do when <paramref name="Run"/> could not finish (tell the requester, audit it), so acknowledged work is
/// never dropped silently. It gets a fresh scope and a short token of its own.
/// </param>
public sealed record BackgroundWorkItem(
    string Description,
    Func<IServiceProvider, CancellationToken, Task> Run,
    Func<IServiceProvider, WorkInterruption, CancellationToken, Task>? Abandon = null);

/// <summary>Why queued work did not finish.</summary>
public enum WorkInterruption
{
    /// <summary>The bot stopped before the work started: nothing it would do was done.</summary>
    NotStarted,

    /// <summary>The bot stopped while the work ran: it may have been partly done.</summary>
    Interrupted,

    /// <summary>The work ran past <see cref="BackgroundWorkOptions.ItemTimeout"/> and was cancelled.</summary>
    TimedOut,
}

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

    /// <summary>
    /// On shutdown, how long queued and running work may still take; what is left after that is abandoned (the
    /// requester is told to run it again). Keep it below the platform's grace period (Kubernetes: 30 s).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00",
        ErrorMessage = "BackgroundWork:DrainTimeout must be more than 0 and at most 10 minutes (for example 00:00:20).")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(20);
}

/// <summary>The channel behind <see cref="IBackgroundWorkQueue"/>.</summary>
public sealed class BackgroundWorkQueue(IOptions<BackgroundWorkOptions> options) : IBackgroundWorkQueue
{
    private readonly Channel<BackgroundWorkItem> channel = Channel.CreateBounded<BackgroundWorkItem>(
        new BoundedChannelOptions(options.Value.Capacity) { FullMode = BoundedChannelFullMode.Wait });

    /// <inheritdoc />
    public bool TryEnqueue(BackgroundWorkItem item) => channel.Writer.TryWrite(item);

    internal ChannelReader<BackgroundWorkItem> Reader => channel.Reader;

    /// <summary>Items waiting to run.</summary>
    internal int Waiting => channel.Reader.Count;

    internal void Complete() => channel.Writer.TryComplete();
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

        // The host must wait for the drain (and the notices after it) before it gives up on stopping.
        var drain = builder.Configuration.GetSection(BackgroundWorkOptions.SectionName).GetValue<TimeSpan?>(nameof(BackgroundWorkOptions.DrainTimeout))
            ?? new BackgroundWorkOptions().DrainTimeout;
        builder.Services.Configure<HostOptions>(host =>
        {
            var needed = drain + BackgroundWorkService.AbandonBudget;
            if (host.ShutdownTimeout < needed && drain > TimeSpan.Zero && drain <= TimeSpan.FromMinutes(10))
            {
                host.ShutdownTimeout = needed;
            }
        });
        return builder;
    }
}
