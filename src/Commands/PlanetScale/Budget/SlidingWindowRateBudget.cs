namespace PscaleBot.Commands.PlanetScale.Budget;

/// <summary>
/// The rate budget of one process: per credential at most <c>limit</c> permits in any window of
/// <see cref="Window"/> (a sliding log, so whatever window PlanetScale counts in, fixed or sliding, sees no more),
/// handed to waiters by priority, then first come first served. A 429 pauses the credential's budget for everyone.
/// Its own scheduler, because System.Threading.RateLimiting neither orders waiters by priority nor runs on a
/// <see cref="TimeProvider"/>.
/// </summary>
public sealed class SlidingWindowRateBudget : IPlanetScaleRateBudget, IDisposable
{
    /// <summary>PlanetScale counts per minute; the extra second absorbs latency between our clock and its counter.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(61);

    private readonly int limit;
    private readonly TimeProvider time;
    private readonly Dictionary<string, Lane> lanes = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private bool disposed;

    /// <summary>Creates a budget of <paramref name="limit"/> requests per minute and credential.</summary>
    public SlidingWindowRateBudget(int limit, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        this.limit = limit;
        this.time = time;
    }

    /// <inheritdoc />
    public ValueTask AcquireAsync(string credential, PlanetScaleCallPriority priority, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Waiter waiter;
        lock (gate)
        {
            var lane = LaneOf(credential);
            var now = time.GetUtcNow();
            if (lane.Waiters.Count == 0 && lane.IsFree(now, limit))
            {
                lane.Sent.Enqueue(now);
                return ValueTask.CompletedTask;
            }

            ObjectDisposedException.ThrowIf(disposed, this);
            waiter = new Waiter();
            // Registered under the gate, before anyone can hand the waiter a permit and dispose the registration.
            if (cancellationToken.CanBeCanceled)
            {
                waiter.Cancellation = cancellationToken.Register(static (state, token) => ((Waiter)state!).Completion.TrySetCanceled(token), waiter);
            }

            lane.Waiters.Enqueue(waiter, ((int)priority, lane.NextSequence++));
            Pump(lane, now);
        }

        return new ValueTask(waiter.Completion.Task);
    }

    /// <inheritdoc />
    public bool IsFreeNow(string credential, PlanetScaleCallPriority priority)
    {
        lock (gate)
        {
            var lane = LaneOf(credential);
            return lane.IsFree(time.GetUtcNow(), limit)
                && !lane.Waiters.UnorderedItems.Any(w => w.Priority.Priority <= (int)priority && !w.Element.Completion.Task.IsCompleted);
        }
    }

    /// <inheritdoc />
    public void Pause(string credential, TimeSpan wait)
    {
        lock (gate)
        {
            var lane = LaneOf(credential);
            var now = time.GetUtcNow();
            var until = now + (wait < TimeSpan.Zero ? TimeSpan.Zero : wait);
            if (until > lane.PausedUntil)
            {
                lane.PausedUntil = until;
            }

            Pump(lane, now);
        }
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, int> Remaining()
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            return lanes.ToDictionary(l => l.Key, l => l.Value.Remaining(now, limit), StringComparer.Ordinal);
        }
    }

    /// <summary>How many callers wait for a permit of <paramref name="credential"/> (for tests and diagnostics).</summary>
    public int Waiting(string credential)
    {
        lock (gate)
        {
            return lanes.TryGetValue(credential, out var lane) ? lane.Waiters.UnorderedItems.Count(w => !w.Element.Completion.Task.IsCompleted) : 0;
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Callers still waiting get an <see cref="ObjectDisposedException"/>: with no timer left they would wait forever,
    /// and so would whatever waits for them at shutdown (the resilience pipelines wait for calls in flight).
    /// </remarks>
    public void Dispose()
    {
        List<ITimer> timers;
        List<Waiter> waiting;
        lock (gate)
        {
            disposed = true;
            timers = [.. lanes.Values.Select(l => l.Timer).OfType<ITimer>()];
            waiting = [.. lanes.Values.SelectMany(l => l.Waiters.UnorderedItems.Select(w => w.Element))];
            foreach (var lane in lanes.Values)
            {
                lane.Waiters.Clear();
                lane.Timer = null;
            }
        }

        // Outside the gate: a timer's callback may be waiting for it.
        foreach (var timer in timers)
        {
            timer.Dispose();
        }

        foreach (var waiter in waiting)
        {
            waiter.Cancellation.Dispose();
            waiter.Completion.TrySetException(new ObjectDisposedException(nameof(SlidingWindowRateBudget), "The PlanetScale rate budget was shut down while this call waited for a permit."));
        }
    }

    private Lane LaneOf(string credential)
    {
        if (!lanes.TryGetValue(credential, out var lane))
        {
            lane = new Lane();
            lanes[credential] = lane;
        }

        return lane;
    }

    // Under the gate: hands free permits to the first waiters, then sets the timer for the next permit to come back.
    private void Pump(Lane lane, DateTimeOffset now)
    {
        while (lane.Waiters.TryPeek(out var next, out _))
        {
            if (next.Completion.Task.IsCompleted)
            {
                lane.Waiters.Dequeue();
                continue;
            }

            if (!lane.IsFree(now, limit))
            {
                break;
            }

            lane.Waiters.Dequeue();
            lane.Sent.Enqueue(now);
            next.Cancellation.Dispose();
            next.Completion.TrySetResult();
        }

        if (lane.Waiters.Count == 0)
        {
            return;
        }

        var freeAt = lane.Sent.Count >= limit ? lane.Sent.Peek() + Window : now;
        if (lane.PausedUntil > freeAt)
        {
            freeAt = lane.PausedUntil;
        }

        // Whole milliseconds, rounded up: timers count in milliseconds, and one that fired a fraction early would find
        // no permit yet and re-arm for zero, again and again (a busy loop; on a fake clock, one that never returns).
        var due = TimeSpan.FromMilliseconds(Math.Ceiling(Math.Max((freeAt - now).TotalMilliseconds, 0)));
        // A fresh one-shot timer every time rather than re-arming the one that may be firing now: FakeTimeProvider
        // drops a one-shot timer after its callback returns, re-armed or not, so a re-armed timer never fired again
        // and waiters beyond the first refill hung. Replacing it works the same on every TimeProvider.
        lane.Timer?.Dispose();
        lane.Timer = disposed ? null : time.CreateTimer(static state => ((Callback)state!).Run(), new Callback(this, lane), due, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer(Lane lane)
    {
        lock (gate)
        {
            Pump(lane, time.GetUtcNow());
        }
    }

    private sealed record Callback(SlidingWindowRateBudget Budget, Lane Lane)
    {
        public void Run() => Budget.OnTimer(Lane);
    }

    private sealed class Lane
    {
        public Queue<DateTimeOffset> Sent { get; } = new();

        public PriorityQueue<Waiter, (int Priority, long Sequence)> Waiters { get; } = new();

        public long NextSequence { get; set; }

        public DateTimeOffset PausedUntil { get; set; } = DateTimeOffset.MinValue;

        public ITimer? Timer { get; set; }

        public bool IsFree(DateTimeOffset now, int limit) => now >= PausedUntil && Prune(now) < limit;

        public int Remaining(DateTimeOffset now, int limit) => now < PausedUntil ? 0 : limit - Prune(now);

        private int Prune(DateTimeOffset now)
        {
            while (Sent.Count > 0 && Sent.Peek() + Window <= now)
            {
                Sent.Dequeue();
            }

            return Sent.Count;
        }
    }

    // A cancelled waiter stays in the queue and is stepped over when reached: removing from a heap costs more.
    private sealed class Waiter
    {
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Cancellation { get; set; }
    }
}
