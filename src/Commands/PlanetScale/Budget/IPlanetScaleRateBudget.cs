namespace PscaleBot.Commands.PlanetScale.Budget;

/// <summary>
/// The bot's share of PlanetScale's rate limit for one credential. Every HTTP request to PlanetScale takes one permit
/// first; waiters are served by priority as permits come back. The in-process implementation is
/// <see cref="SlidingWindowRateBudget"/>; several replicas on one credential need a shared implementation.
/// </summary>
public interface IPlanetScaleRateBudget
{
    /// <summary>Waits for a permit to send one request with <paramref name="credential"/>.</summary>
    /// <param name="credential">A non-secret key of the credential (see <see cref="PlanetScaleCredentialKey"/>).</param>
    /// <param name="priority">Who goes first.</param>
    /// <param name="cancellationToken">Gives up the place in the queue.</param>
    ValueTask AcquireAsync(string credential, PlanetScaleCallPriority priority, CancellationToken cancellationToken);

    /// <summary>True when a permit for <paramref name="priority"/> is free now, with nobody of the same or a higher priority waiting.</summary>
    bool IsFreeNow(string credential, PlanetScaleCallPriority priority);

    /// <summary>PlanetScale answered 429: no permit is handed out for <paramref name="credential"/> until <paramref name="wait"/> has passed.</summary>
    void Pause(string credential, TimeSpan wait);

    /// <summary>Permits left in the current window per credential (for the gauge).</summary>
    IReadOnlyDictionary<string, int> Remaining();
}
