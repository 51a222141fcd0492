using PscaleBot.Commands.PlanetScale.Budget;

namespace PscaleBot.Bot.PlanetScale;

/// <summary>One credential's local queue in front of the shared counter (see <see cref="SharedRateBudget"/>).</summary>
internal sealed class SharedBudgetLane
{
    public PriorityQueue<SharedBudgetWaiter, (int Priority, long Sequence)> Waiters { get; } = new();

    public long NextSequence { get; set; }

    public Task? Pump { get; set; }

    public TaskCompletionSource Arrival { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DateTimeOffset PausedUntil { get; set; } = DateTimeOffset.MinValue;

    public DateTimeOffset LastSeen { get; set; } = DateTimeOffset.MinValue;

    public int LastUsed { get; set; }

    public int LastUsers { get; set; }

    // What the log held at the last take, for estimates only (the next take finds out): a window later it is all gone.
    public int UsedAt(DateTimeOffset now) => now - LastSeen < PostgresBudgetCounter.Window ? LastUsed : 0;
}

/// <summary>One caller waiting for a request slot.</summary>
internal sealed class SharedBudgetWaiter(PlanetScaleCallPriority priority, CancellationToken cancellationToken)
{
    public PlanetScaleCallPriority Priority { get; } = priority;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CancellationTokenRegistration Cancellation { get; set; }
}
