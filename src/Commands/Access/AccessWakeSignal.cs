namespace PscaleBot.Commands.Access;

/// <summary>Wakes the expiry loop early when something new became due (a grant, a request, an extension).</summary>
public sealed class AccessWakeSignal
{
    private readonly SemaphoreSlim signal = new(0, 1);

    /// <summary>Asks the loop to look again now. Repeated signals before it wakes count once.</summary>
    public void Signal()
    {
        try
        {
            signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: the loop will look once, which covers every signal since.
        }
    }

    /// <summary>Waits until <paramref name="delay"/> has passed on <paramref name="time"/> or <see cref="Signal"/> is called.</summary>
    public async Task WaitAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timer = Task.Delay(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, time, both.Token);
        var woken = signal.WaitAsync(both.Token);
        await Task.WhenAny(timer, woken);
        await both.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();

        // If the signal arrived as the timer fired, keep it for the next wait rather than lose it.
        try
        {
            await woken;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
