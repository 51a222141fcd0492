using PscaleBot.Commands.Access;

namespace PscaleBot.Commands.Rotation;

/// <summary>
/// Wakes the deletion loop when a rotation schedules something, so a short grace is kept to the second rather than
/// to the loop's idle wait. Its own signal, not the access sweep's: waking one loop must not consume the other's.
/// </summary>
public sealed class TokenRetirementWake
{
    private readonly AccessWakeSignal signal = new();

    /// <summary>Asks the loop to look again now.</summary>
    public void Signal() => signal.Signal();

    /// <summary>Waits until <paramref name="delay"/> has passed on <paramref name="time"/> or <see cref="Signal"/> is called.</summary>
    public Task WaitAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken) => signal.WaitAsync(delay, time, cancellationToken);
}
