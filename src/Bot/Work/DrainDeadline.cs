namespace PscaleBot.Bot.Work;

/// <summary>
/// The end of a shutdown drain, for the services that let work under way finish on stop: <see cref="Token"/> is
/// cancelled when the drain's time is up, or at once when the host gives up first.
/// </summary>
public sealed class DrainDeadline : IDisposable
{
    private readonly CancellationTokenSource over = new();

    /// <summary>Cancelled when the drain is over.</summary>
    public CancellationToken Token => over.Token;

    /// <summary>Whether the drain is over.</summary>
    public bool IsOver => over.IsCancellationRequested;

    /// <summary>
    /// Starts the countdown: the drain ends after <paramref name="drain"/> on <paramref name="time"/>, or when
    /// <paramref name="hostGivesUp"/> is cancelled. Dispose the result once the drain is done.
    /// </summary>
    public IAsyncDisposable Start(TimeSpan drain, TimeProvider time, CancellationToken hostGivesUp)
    {
        ArgumentNullException.ThrowIfNull(time);
        return new Countdown(time.CreateTimer(_ => End(), null, drain, Timeout.InfiniteTimeSpan), hostGivesUp.Register(End));
    }

    /// <inheritdoc />
    public void Dispose() => over.Dispose();

    private void End()
    {
        try
        {
            over.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The timer fired while the service was being disposed: the drain is over anyway.
        }
    }

    private sealed class Countdown(ITimer timer, CancellationTokenRegistration hostGivesUp) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await hostGivesUp.DisposeAsync();
            await timer.DisposeAsync();
        }
    }
}
