using System.Diagnostics.Metrics;
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
/// <param name="Owner">
/// Whose work it is (the caller's qualified user id), for the fair share: each owner's items wait in their own
/// lane and owners take turns. Null for the bot's own work (welcome messages, follow-up posts), which shares one lane.
/// </param>
public sealed record BackgroundWorkItem(
    string Description,
    Func<IServiceProvider, CancellationToken, Task> Run,
    Func<IServiceProvider, WorkInterruption, CancellationToken, Task>? Abandon = null,
    string? Owner = null);

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
    /// <summary>
    /// Queues work; false when it cannot be taken (the queue or the owner's lane is full, or the bot is stopping),
    /// so the caller can answer "busy" at once, with <see cref="RetryAfter"/>.
    /// </summary>
    bool TryEnqueue(BackgroundWorkItem item);

    /// <summary>When <paramref name="owner"/> should try again after a refusal: an estimate from the current drain rate.</summary>
    TimeSpan RetryAfter(string? owner);
}

/// <summary>
/// The fair-share queue behind <see cref="IBackgroundWorkQueue"/>: bounded by <see cref="BackgroundWorkOptions.QueueLimit"/>
/// items (memory, not workers), one lane per owner served in turn (<see cref="FairShareLanes{T}"/>), at most
/// <see cref="BackgroundWorkOptions.MaxConcurrency"/> items running and <see cref="BackgroundWorkOptions.MaxPerUser"/>
/// per owner. Publishes <c>pscalebot.queue.depth</c>, <c>pscalebot.queue.in_flight</c>, <c>pscalebot.queue.wait</c>
/// (ms from queued to started) and <c>pscalebot.queue.refused</c> on the "PscaleBot" meter.
/// </summary>
public sealed class BackgroundWorkQueue : IBackgroundWorkQueue
{
    /// <summary>The meter every pscale-bot instrument lives on.</summary>
    public const string MeterName = "PscaleBot";

    private const string BotLane = "";

    private readonly Lock gate = new();
    private readonly FairShareLanes<QueuedWork> lanes;
    private readonly DrainRate drainRate;
    private readonly TimeProvider time;
    private readonly Histogram<double> waitMs;
    private readonly Counter<long> refused;

    // A wake-up for the dispatcher: one pending signal is enough, it re-reads the state when it wakes.
    private readonly Channel<bool> changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private bool completed;

    /// <summary>Creates the queue with its limits and instruments.</summary>
    public BackgroundWorkQueue(IOptions<BackgroundWorkOptions> options, TimeProvider time, IMeterFactory meters)
    {
        var settings = options.Value;
        lanes = new FairShareLanes<QueuedWork>(settings.QueueLimit, settings.MaxWaitingPerUser, settings.MaxConcurrency, settings.MaxPerUser);
        drainRate = new DrainRate(time);
        this.time = time;
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("pscalebot.queue.depth", () => Waiting, "{item}", "Background work items waiting to start.");
        meter.CreateObservableGauge("pscalebot.queue.in_flight", () => InFlight, "{item}", "Background work items running.");
        waitMs = meter.CreateHistogram<double>("pscalebot.queue.wait", "ms", "Time from queued to started.");
        refused = meter.CreateCounter<long>("pscalebot.queue.refused", "{item}", "Work refused as busy, by reason (queue_full, user_full, stopping).");
    }

    /// <summary>Items waiting to run.</summary>
    internal int Waiting
    {
        get
        {
            lock (gate)
            {
                return lanes.Waiting;
            }
        }
    }

    /// <summary>Items running.</summary>
    internal int InFlight
    {
        get
        {
            lock (gate)
            {
                return lanes.InFlight;
            }
        }
    }

    /// <summary>True once stopping began and nothing waits or runs any more.</summary>
    internal bool IsDone
    {
        get
        {
            lock (gate)
            {
                return completed && lanes.Waiting == 0 && lanes.InFlight == 0;
            }
        }
    }

    /// <inheritdoc />
    public bool TryEnqueue(BackgroundWorkItem item)
    {
        var work = new QueuedWork(item, time.GetTimestamp());
        string? reason;
        lock (gate)
        {
            reason = completed ? "stopping" : lanes.TryAdd(item.Owner ?? BotLane, work) switch
            {
                LaneRefusal.None => null,
                LaneRefusal.OwnerFull => "user_full",
                _ => "queue_full",
            };
        }

        if (reason is not null)
        {
            refused.Add(1, new KeyValuePair<string, object?>("reason", reason));
            return false;
        }

        Wake();
        return true;
    }

    /// <inheritdoc />
    public TimeSpan RetryAfter(string? owner)
    {
        lock (gate)
        {
            // Everyone ahead drains at the full rate; the owner's own lane drains at its share of it (owners take turns).
            var all = drainRate.EstimateWait(lanes.Waiting, 1);
            var own = drainRate.EstimateWait(lanes.WaitingFor(owner ?? BotLane), lanes.ActiveOwners);
            return all > own ? all : own;
        }
    }

    /// <summary>The next item to start, by the fair-share rules; false when none may start now.</summary>
    internal bool TryTake(out QueuedWork work, out string owner)
    {
        lock (gate)
        {
            if (!lanes.TryTake(out owner, out work))
            {
                return false;
            }
        }

        waitMs.Record(time.GetElapsedTime(work.QueuedAt).TotalMilliseconds);
        return true;
    }

    /// <summary>An item taken for <paramref name="owner"/> ended (finished, failed, timed out or abandoned).</summary>
    internal void Finished(string owner)
    {
        lock (gate)
        {
            lanes.Finished(owner);
            drainRate.Finished();
        }

        Wake();
    }

    /// <summary>Removes everything still waiting (the drain time is over), to hand it to the abandon steps.</summary>
    internal List<QueuedWork> TakeAllWaiting()
    {
        lock (gate)
        {
            return lanes.TakeAllWaiting();
        }
    }

    /// <summary>Refuses new work from now on; what is queued still runs.</summary>
    internal void Complete()
    {
        lock (gate)
        {
            completed = true;
        }

        Wake();
    }

    /// <summary>Waits until something changed (work added or finished, stopping, drain over).</summary>
    internal ValueTask<bool> WaitForChangeAsync() => changed.Reader.ReadAsync();

    /// <summary>Wakes the dispatcher.</summary>
    internal void Wake() => changed.Writer.TryWrite(true);
}

/// <summary>An item in its lane, with the moment it was queued (for the wait histogram).</summary>
/// <param name="Item">The work.</param>
/// <param name="QueuedAt">A <see cref="TimeProvider.GetTimestamp"/> value.</param>
internal sealed record QueuedWork(BackgroundWorkItem Item, long QueuedAt);
