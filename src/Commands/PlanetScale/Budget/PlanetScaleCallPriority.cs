namespace PscaleBot.Commands.PlanetScale.Budget;

/// <summary>Who goes first when the PlanetScale rate budget is short. Lower values are served first.</summary>
public enum PlanetScaleCallPriority
{
    /// <summary>Taking access away: a late revocation leaves access in place longer than anyone approved.</summary>
    Revocation = 0,

    /// <summary>A change a user asked for (create, add-access, delete), and the reads it decides on.</summary>
    Change = 1,

    /// <summary>A read whose answer is only shown (list, show, show-access); may be served from the read cache.</summary>
    Read = 2,
}

/// <summary>
/// The priority of the PlanetScale calls made on this async flow. A caller that takes access away opens a
/// <see cref="Revocation"/> scope around the calls; without a scope a call is a <see cref="PlanetScaleCallPriority.Read"/>
/// when it is a GET and a <see cref="PlanetScaleCallPriority.Change"/> otherwise. It flows through the Refit client to the
/// budget handler, which is why it rides on the flow and not on each of the service's method signatures.
/// </summary>
public static class PlanetScalePriority
{
    private static readonly AsyncLocal<PlanetScaleCallPriority?> CurrentPriority = new();

    /// <summary>The priority set on this flow, if any.</summary>
    public static PlanetScaleCallPriority? Current => CurrentPriority.Value;

    /// <summary>Calls inside the scope revoke access: first on the budget, and their reads are never served from cache.</summary>
    public static Scope Revocation() => Begin(PlanetScaleCallPriority.Revocation);

    /// <summary>Calls inside the scope make a user's change: before reads, and their reads are never served from cache.</summary>
    public static Scope Change() => Begin(PlanetScaleCallPriority.Change);

    /// <summary>The priority of a request of <paramref name="method"/> on this flow.</summary>
    public static PlanetScaleCallPriority For(HttpMethod method) =>
        Current ?? (method == HttpMethod.Get ? PlanetScaleCallPriority.Read : PlanetScaleCallPriority.Change);

    /// <summary>True when reads on this flow must go to PlanetScale itself (a decision is made on them).</summary>
    public static bool NeedsFreshReads => Current is PlanetScaleCallPriority.Revocation or PlanetScaleCallPriority.Change;

    private static Scope Begin(PlanetScaleCallPriority priority)
    {
        var previous = CurrentPriority.Value;
        // A scope never lowers the priority of an enclosing one (a revocation that reads stays a revocation).
        CurrentPriority.Value = previous is { } outer && outer < priority ? outer : priority;
        return new Scope(previous);
    }

    /// <summary>An open priority scope; dispose it to restore the previous one.</summary>
    public readonly struct Scope(PlanetScaleCallPriority? previous) : IDisposable
    {
        /// <inheritdoc />
        public void Dispose() => CurrentPriority.Value = previous;
    }
}
