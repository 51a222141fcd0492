using System.Data.Common;
using System.Net.Sockets;
using PscaleBot.Bot.Persistence;
using PscaleBot.Bot.Persistence.Migrations;
using PscaleBot.Commands.Http;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.PlanetScale.Budget;

namespace PscaleBot.Bot.PlanetScale;

/// <summary>
/// The PlanetScale rate budget shared by every replica through PostgreSQL (<see cref="PostgresBudgetCounter"/>). In
/// front of the counter each credential keeps a local priority queue: only the best waiter of this replica (revocation,
/// then change, then read, then first come) takes from the counter, so this replica's waiters are served in priority
/// order. Across replicas priority is kept by shares (<see cref="SharedBudgetRule"/>): reads may fill only
/// <see cref="SharedBudgetOptions.ReadSharePercent"/> of a window and changes <see cref="SharedBudgetOptions.ChangeSharePercent"/>,
/// so a revocation on any replica always finds room, and users' calls are owed a small share while they wait. While
/// the database is unreachable each replica falls back to its own in-memory budget of the limit divided by
/// <see cref="SharedBudgetOptions.ReplicaCount"/>: calls never stop, and together the replicas stay within the limit.
/// Its tables are made at start-up with the other stores' (<see cref="IMigratingStore"/>), not on the first call.
/// </summary>
public sealed class SharedRateBudget : IPlanetScaleRateBudget, IMigratingStore, IDisposable
{
    /// <summary>How long the database is left alone after it failed, before the counter is tried again.</summary>
    public static readonly TimeSpan RetryDatabaseAfter = TimeSpan.FromSeconds(10);

    private readonly PostgresBudgetCounter counter;
    private readonly SharedBudgetRule rule;
    private readonly TimeProvider time;
    private readonly SlidingWindowRateBudget fallback;
    private readonly int fallbackLimit;
    private readonly Dictionary<string, SharedBudgetLane> lanes = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private readonly CancellationTokenSource stopping = new();
    private DateTimeOffset databaseDownUntil = DateTimeOffset.MinValue;
    private readonly DependencyOutage outage;
    private long denials;

    /// <summary>A budget of <paramref name="limit"/> requests per window and credential, shared through <paramref name="counter"/>.</summary>
    /// <param name="counter">The log every replica takes from.</param>
    /// <param name="limit">Requests per window and credential.</param>
    /// <param name="options">The shares and the replica count.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where an unreachable database is reported.</param>
    /// <param name="userSharePercent">The part of every window owed to users' calls while they wait (<see cref="PlanetScaleOptions.UserSharePercent"/>).</param>
    public SharedRateBudget(PostgresBudgetCounter counter, int limit, SharedBudgetOptions options, TimeProvider time, ILogger logger, int userSharePercent = PlanetScaleOptions.DefaultUserSharePercent)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.counter = counter;
        rule = SharedBudgetRule.For(limit, options, userSharePercent);
        this.time = time;
        fallbackLimit = Math.Max(1, limit / Math.Max(1, options.ReplicaCount));
        fallback = new SlidingWindowRateBudget(fallbackLimit, time, userSharePercent);
        outage = new DependencyOutage(
            $"The shared PlanetScale rate budget's PostgreSQL ({counter.Location})",
            $"until it works, this replica uses {fallbackLimit} requests per window on its own (PlanetScale:RequestsPerMinute divided by PlanetScale:ReplicaCount)",
            logger,
            time);
    }

    /// <inheritdoc />
    public string? Location => counter.Location;

    /// <inheritdoc />
    public string? Setting => StorageOptions.ConnectionStringSetting;

    /// <inheritdoc />
    public Task MigrateAsync(CancellationToken cancellationToken) => counter.MigrateAsync(cancellationToken);

    /// <summary>How many times the shared counter had no room for this replica's best waiter (for tests and diagnostics).</summary>
    public long Denials => Interlocked.Read(ref denials);

    /// <inheritdoc />
    public ValueTask AcquireAsync(string credential, PlanetScaleCallPriority priority, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(stopping.IsCancellationRequested, this);
        if (IsDatabaseDown())
        {
            return fallback.AcquireAsync(credential, priority, cancellationToken);
        }

        var waiter = new SharedBudgetWaiter(priority, cancellationToken);
        lock (gate)
        {
            var lane = LaneOf(credential);
            if (cancellationToken.CanBeCanceled)
            {
                waiter.Cancellation = cancellationToken.Register(static (state, token) => ((SharedBudgetWaiter)state!).Completion.TrySetCanceled(token), waiter);
            }

            lane.Waiters.Enqueue(waiter, ((int)priority, lane.NextSequence++));
            // A new waiter may outrank the one the pump sleeps for: wake it to look again.
            lane.Arrival.TrySetResult();
            lane.Pump ??= Task.Run(() => PumpAsync(credential, lane));
        }

        return new ValueTask(waiter.Completion.Task);
    }

    /// <inheritdoc />
    public bool IsFreeNow(string credential, PlanetScaleCallPriority priority)
    {
        var now = time.GetUtcNow();
        if (IsDatabaseDown())
        {
            return fallback.IsFreeNow(credential, priority);
        }

        lock (gate)
        {
            var lane = LaneOf(credential);
            return now >= lane.PausedUntil && lane.UsedAt(now) < rule.Cap(priority, lane.LastUsers, usersWaiting: false)
                && !lane.Waiters.UnorderedItems.Any(w => w.Priority.Priority <= (int)priority && !w.Element.Completion.Task.IsCompleted);
        }
    }

    /// <inheritdoc />
    public void Pause(string credential, TimeSpan wait) => _ = PauseAsync(credential, wait);

    /// <summary>
    /// <see cref="Pause"/>, finished when every replica can see the pause (or the database could not be told; this replica
    /// and its fallback honour it anyway).
    /// </summary>
    public async Task PauseAsync(string credential, TimeSpan wait)
    {
        var now = time.GetUtcNow();
        var until = now + (wait < TimeSpan.Zero ? TimeSpan.Zero : wait);
        fallback.Pause(credential, wait);
        lock (gate)
        {
            var lane = LaneOf(credential);
            if (until > lane.PausedUntil)
            {
                lane.PausedUntil = until;
            }
        }

        try
        {
            await counter.PauseAsync(credential, until, stopping.Token).ConfigureAwait(false);
            MarkDatabaseUp();
        }
        catch (Exception exception) when (IsDatabaseFailure(exception))
        {
            MarkDatabaseDown(exception);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: nobody is left to honour the pause here.
        }
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, int> Remaining()
    {
        if (IsDatabaseDown())
        {
            return fallback.Remaining();
        }

        var now = time.GetUtcNow();
        lock (gate)
        {
            return lanes.ToDictionary(
                l => l.Key,
                l => now < l.Value.PausedUntil ? 0 : rule.Limit - l.Value.UsedAt(now),
                StringComparer.Ordinal);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        List<SharedBudgetWaiter> waiting;
        lock (gate)
        {
            if (stopping.IsCancellationRequested)
            {
                return;
            }

            stopping.Cancel();
            waiting = [.. lanes.Values.SelectMany(l => l.Waiters.UnorderedItems.Select(w => w.Element))];
            foreach (var lane in lanes.Values)
            {
                lane.Waiters.Clear();
            }
        }

        foreach (var waiter in waiting)
        {
            waiter.Cancellation.Dispose();
            waiter.Completion.TrySetException(new ObjectDisposedException(nameof(SharedRateBudget), "The PlanetScale rate budget was shut down while this call waited for a permit."));
        }

        fallback.Dispose();
    }

    private SharedBudgetLane LaneOf(string credential)
    {
        if (!lanes.TryGetValue(credential, out var lane))
        {
            lane = new SharedBudgetLane();
            lanes[credential] = lane;
        }

        return lane;
    }

    // One loop per credential while it has waiters: the best waiter takes from the shared counter; when there is no
    // room it sleeps until the window ends or the pause is over, or until a new waiter arrives.
    private async Task PumpAsync(string credential, SharedBudgetLane lane)
    {
        while (true)
        {
            SharedBudgetWaiter head;
            Task arrival;
            lock (gate)
            {
                while (lane.Waiters.TryPeek(out var next, out _) && next.Completion.Task.IsCompleted)
                {
                    lane.Waiters.Dequeue();
                }

                if (stopping.IsCancellationRequested || !lane.Waiters.TryPeek(out head!, out _))
                {
                    lane.Pump = null;
                    return;
                }

                if (lane.Arrival.Task.IsCompleted)
                {
                    lane.Arrival = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                arrival = lane.Arrival.Task;
            }

            var now = time.GetUtcNow();
            DateTimeOffset retryAt;
            if (IsDatabaseDown())
            {
                HandToFallback(credential, lane);
                continue;
            }

            if (now < lane.PausedUntil)
            {
                retryAt = lane.PausedUntil;
            }
            else
            {
                BudgetTake take;
                try
                {
                    take = await counter.TakeAsync(credential, head.Priority, rule, now, stopping.Token).ConfigureAwait(false);
                }
                catch (Exception exception) when (IsDatabaseFailure(exception))
                {
                    MarkDatabaseDown(exception);
                    continue;
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    continue;
                }

                MarkDatabaseUp();
                lock (gate)
                {
                    lane.LastUsed = take.Used;
                    lane.LastUsers = take.Users;
                    lane.LastSeen = now;
                    if (take.PausedUntil > lane.PausedUntil)
                    {
                        lane.PausedUntil = take.PausedUntil;
                    }
                }

                if (take.Granted)
                {
                    // Left in the queue when no longer on top; completed waiters are stepped over.
                    head.Cancellation.Dispose();
                    head.Completion.TrySetResult();
                    continue;
                }

                Interlocked.Increment(ref denials);
                retryAt = take.RetryAt;
            }

            // Measured after the database answered: the clock may have moved meanwhile.
            var due = TimeSpan.FromMilliseconds(Math.Ceiling(Math.Max((retryAt - time.GetUtcNow()).TotalMilliseconds, 0)));
            try
            {
                await Task.WhenAny(Task.Delay(due, time, stopping.Token), arrival, head.Completion.Task).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // The loop ends at its top.
            }
        }
    }

    // The database is down: this replica's waiters move to the local fallback budget, which keeps their priority order.
    private void HandToFallback(string credential, SharedBudgetLane lane)
    {
        List<SharedBudgetWaiter> moved;
        lock (gate)
        {
            moved = [.. lane.Waiters.UnorderedItems.OrderBy(w => w.Priority).Select(w => w.Element).Where(w => !w.Completion.Task.IsCompleted)];
            lane.Waiters.Clear();
        }

        foreach (var waiter in moved)
        {
            waiter.Cancellation.Dispose();
            _ = ForwardAsync(credential, waiter);
        }
    }

    private async Task ForwardAsync(string credential, SharedBudgetWaiter waiter)
    {
        try
        {
            await fallback.AcquireAsync(credential, waiter.Priority, waiter.CancellationToken).ConfigureAwait(false);
            waiter.Completion.TrySetResult();
        }
        catch (OperationCanceledException exception)
        {
            waiter.Completion.TrySetCanceled(exception.CancellationToken);
        }
        catch (ObjectDisposedException exception)
        {
            waiter.Completion.TrySetException(exception);
        }
    }

    private bool IsDatabaseDown()
    {
        lock (gate)
        {
            return time.GetUtcNow() < databaseDownUntil;
        }
    }

    private void MarkDatabaseDown(Exception exception)
    {
        lock (gate)
        {
            databaseDownUntil = time.GetUtcNow() + RetryDatabaseAfter;
        }

        // The exception's type only: its message may quote the server's words, never needed here.
        outage.Failed(exception.GetType().Name);
    }

    private void MarkDatabaseUp() => outage.Succeeded();

    private static bool IsDatabaseFailure(Exception exception) =>
        exception is DbException or SocketException or TimeoutException or IOException
        || (exception is InvalidOperationException && exception.InnerException is DbException or SocketException);
}
