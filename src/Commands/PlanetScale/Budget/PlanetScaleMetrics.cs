using System.Diagnostics.Metrics;

namespace PscaleBot.Commands.PlanetScale.Budget;

/// <summary>
/// The PlanetScale client's instruments on meter <c>PscaleBot</c>. Tags carry only the operation's route template,
/// the status class and the priority: never an organization, a token id or a credential.
/// </summary>
public sealed class PlanetScaleMetrics
{
    /// <summary>The meter name every part of the bot shares.</summary>
    public const string MeterName = "PscaleBot";

    private readonly Counter<long> calls;
    private readonly Counter<long> coalesced;
    private readonly Counter<long> cacheHits;

    /// <summary>Creates the instruments; the gauge reads <paramref name="budget"/> when collected.</summary>
    public PlanetScaleMetrics(IMeterFactory meterFactory, IPlanetScaleRateBudget budget)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        calls = meter.CreateCounter<long>("pscalebot.planetscale.calls", "{call}", "HTTP requests sent to PlanetScale, by operation and status class (429 counted on its own).");
        coalesced = meter.CreateCounter<long>("pscalebot.planetscale.reads.coalesced", "{read}", "Reads answered by joining an identical call already in flight.");
        cacheHits = meter.CreateCounter<long>("pscalebot.planetscale.reads.cache_hits", "{read}", "Reads answered from the read cache (tag stale=true past its TTL).");
        meter.CreateObservableGauge(
            "pscalebot.planetscale.budget.remaining",
            () => budget.Remaining().Values.DefaultIfEmpty(-1).Min() is var left && left >= 0 ? [new Measurement<int>(left)] : Array.Empty<Measurement<int>>(),
            "{request}",
            "Requests the bot may still send to PlanetScale in the current minute (the lowest over its credentials).");
    }

    /// <summary>Counts one HTTP request and how it ended.</summary>
    public void RecordCall(string operation, PlanetScaleCallPriority priority, string status) =>
        calls.Add(1, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("priority", Name(priority)),
            new KeyValuePair<string, object?>("status", status));

    /// <summary>Counts one read that joined a call in flight.</summary>
    public void RecordCoalesced(string operation) => coalesced.Add(1, new KeyValuePair<string, object?>("operation", operation));

    /// <summary>Counts one read served from the cache.</summary>
    public void RecordCacheHit(string operation, bool stale) =>
        cacheHits.Add(1, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("stale", stale));

    /// <summary>The status class of an HTTP status: <c>2xx</c>, <c>4xx</c>, <c>5xx</c>, or <c>429</c> on its own.</summary>
    public static string StatusClass(int status) => status == 429 ? "429" : $"{status / 100}xx";

    private static string Name(PlanetScaleCallPriority priority) => priority switch
    {
        PlanetScaleCallPriority.Revocation => "revocation",
        PlanetScaleCallPriority.Change => "change",
        _ => "read",
    };
}
