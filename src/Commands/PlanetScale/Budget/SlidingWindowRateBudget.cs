namespace PscaleBot.Commands.PlanetScale.Budget;

/// <summary>
/// The rate budget of one process: per credential at most <c>limit</c> permits in any window of
/// <see cref="Window"/> (a sliding log, so whatever window PlanetScale counts in, fixed or sliding, sees no more),
/// handed to waiters by priority, then first come first served. A 429 pauses the credential's budget for everyone.
/// <para>
/// One exception to priority: while revocations wait, users' calls (changes, then reads) may still take a small share
/// of every window (<see cref="PlanetScaleOptions.UserSharePercent"/>, rounded down). Strict priority starved them: in a
/// storm of 1,000 revocations, half the commands arriving meanwhile timed out. A share rather than a reserve, so a storm
/// with no user waiting still gets the whole window; only permits taken ahead of a waiting revocation count against it,
/// so revocations that wait through a whole window get at least the rest of it. Reads that find no permit may also be
/// answered from the read cache past its TTL (see <c>PlanetScaleReadShare</c>); the share serves those it has no answer
/// for.
/// </para>
/// Its own scheduler, because System.Threading.RateLimiting neither orders waiters by priority nor runs on a
/// <see cref="TimeProvider"/>.
/// </summary>
public sealed class SlidingWindowRateBudget : IPlanetScaleRateBudget, IDisposable
{
    /// <summary>PlanetScale counts per minute; the extra second absorbs latency between our clock and its counter.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(61);

    private readonly int limit;
    private readonly int userShare;
    private readonly TimeProvider time;
    private readonly Dictionary<string, Lane> lanes = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private bool disposed;

    /// <summary>Creates a budget of <paramref name="limit"/> requests per minute and credential.</summary>
    /// <param name="limit">Requests per minute and credential.</param>
    /// <param name="time">The clock.</param>
    /// <param name="userSharePercent">The share of each window users' calls may take while revocations wait.</param>
    public SlidingWindowRateBudget(int limit, TimeProvider time, int userSharePercent = PlanetScaleOptions.DefaultUserSharePercent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(userSharePercent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(userSharePercent, 100);
        this.limit = limit;
        this.time = time;
        // Rounded down, so revocations never get less than the rest; below 20 a minute at 5 % that is no share at all.
        userShare = (int)((long)limit * userSharePercent / 100);
    }

    /// <summary>The budget <paramref name="options"/> describe (<see cref="PlanetScaleOptions.RequestsPerMinute"/> of zero: one a minute, unused).</summary>
    public static SlidingWindowRateBudget For(PlanetScaleOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SlidingWindowRateBudget(Math.Max(options.RequestsPerMinute, 1), time, options.UserSharePercent);
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
            if (lane.Revocations.Count == 0 && lane.Users.Count == 0 && lane.IsFree(now, limit))
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

            (priority == PlanetScaleCallPriority.Revocation ? lane.Revocations : lane.Users).Enqueue(waiter, ((int)priority, lane.NextSequence++));
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
                && !lane.AllWaiters.Any(w => w.Priority.Priority <= (int)priority && !w.Element.Completion.Task.IsCompleted);
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
            return lanes.TryGetValue(credential, out var lane) ? lane.AllWaiters.Count(w => !w.Element.Completion.Task.IsCompleted) : 0;
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
            waiting = [.. lanes.Values.SelectMany(l => l.AllWaiters.Select(w => w.Element))];
            foreach (var lane in lanes.Values)
            {
                lane.Revocations.Clear();
                lane.Users.Clear();
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
        while (lane.IsFree(now, limit) && Next(lane, now, out var aheadOfRevocation) is { } queue)
        {
            var next = queue.Dequeue();
            lane.Sent.Enqueue(now);
            if (aheadOfRevocation)
            {
                lane.SharedSent.Enqueue(now);
            }

            next.Cancellation.Dispose();
            next.Completion.TrySetResult();
        }

        if (lane.Revocations.Count == 0 && lane.Users.Count == 0)
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

    // The queue whose head gets the next permit: revocations first, unless users wait and their share is not used up.
    // Under the gate, after IsFree pruned the window.
    private WaitQueue? Next(Lane lane, DateTimeOffset now, out bool aheadOfRevocation)
    {
        var revocation = Drop(lane.Revocations);
        var user = Drop(lane.Users);
        aheadOfRevocation = revocation && user && lane.SharedInWindow(now) < userShare;
        return aheadOfRevocation || (user && !revocation) ? lane.Users
            : revocation ? lane.Revocations
            : null;
    }

    // Steps over waiters that gave up; true when a live one is left at the head.
    private static bool Drop(WaitQueue queue)
    {
        while (queue.TryPeek(out var head, out _))
        {
            if (!head.Completion.Task.IsCompleted)
            {
                return true;
            }

            queue.Dequeue();
        }

        return false;
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

    private sealed class WaitQueue : PriorityQueue<Waiter, (int Priority, long Sequence)>;

    private sealed class Lane
    {
        public Queue<DateTimeOffset> Sent { get; } = new();

        /// <summary>Permits users took ahead of a waiting revocation, within the window: the share they have used.</summary>
        public Queue<DateTimeOffset> SharedSent { get; } = new();

        public WaitQueue Revocations { get; } = new();

        /// <summary>Changes, then reads.</summary>
        public WaitQueue Users { get; } = new();

        public IEnumerable<(Waiter Element, (int Priority, long Sequence) Priority)> AllWaiters =>
            Revocations.UnorderedItems.Concat(Users.UnorderedItems);

        public long NextSequence { get; set; }

        public DateTimeOffset PausedUntil { get; set; } = DateTimeOffset.MinValue;

        public ITimer? Timer { get; set; }

        public bool IsFree(DateTimeOffset now, int limit) => now >= PausedUntil && Prune(now) < limit;

        public int Remaining(DateTimeOffset now, int limit) => now < PausedUntil ? 0 : limit - Prune(now);

        public int SharedInWindow(DateTimeOffset now)
        {
            while (SharedSent.Count > 0 && SharedSent.Peek() + Window <= now)
            {
                SharedSent.Dequeue();
            }

            return SharedSent.Count;
        }

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
