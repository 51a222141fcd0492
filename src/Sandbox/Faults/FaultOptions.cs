namespace PscaleBot.Sandbox.Faults;

/// <summary>Injected failures (section <c>Sandbox:Faults</c>); replaceable at runtime through <see cref="SandboxFaults"/>.</summary>
public sealed class FaultOptions
{
    /// <summary>Fixed delay added to every API response, in milliseconds.</summary>
    public int LatencyMs { get; set; }

    /// <summary>Extra random delay of 0..JitterMs milliseconds (drawn from the seeded generator).</summary>
    public int JitterMs { get; set; }

    /// <summary>Share of API requests (0..1) answered with a random 500.</summary>
    public double ErrorRate { get; set; }

    /// <summary>Seed of the generator behind <see cref="ErrorRate"/> and <see cref="JitterMs"/>, so runs repeat; null picks one.</summary>
    public int? Seed { get; set; }

    /// <summary>Requests allowed per caller per minute (fixed window) before 429; 0 turns the limit off.</summary>
    public int RateLimitPerMinute { get; set; } = 600;

    /// <summary>Responses forced for matching requests, checked in order.</summary>
    public List<ForcedFault> Forced { get; set; } = [];

    /// <summary>A deep copy, so callers cannot change live settings behind the lock.</summary>
    public FaultOptions Clone() => new()
    {
        LatencyMs = LatencyMs,
        JitterMs = JitterMs,
        ErrorRate = ErrorRate,
        Seed = Seed,
        RateLimitPerMinute = RateLimitPerMinute,
        Forced = Forced.Select(f => f with { }).ToList(),
    };
}

/// <summary>
/// Forces a status on matching requests, e.g. 429 on <c>DELETE /v1/organizations/*/service-tokens/*/access</c> for 2 calls.
/// </summary>
public sealed record ForcedFault
{
    /// <summary>HTTP method to match; null or <c>*</c> matches any.</summary>
    public string? Method { get; init; }

    /// <summary>Path glob: <c>*</c> matches within one segment, <c>**</c> across segments. Case-insensitive; the query is ignored.</summary>
    public string Path { get; init; } = "/**";

    /// <summary>The status to answer with.</summary>
    public int Status { get; init; } = 500;

    /// <summary>How many matching requests to fail; null fails them all.</summary>
    public int? Times { get; init; }

    /// <summary>How many matching requests to let through before failing (0: fail from the first), to break a sequence halfway.</summary>
    public int After { get; init; }

    /// <summary>Raw body to send instead of the <c>{code,message}</c> JSON (e.g. an HTML gateway page, to test malformed answers).</summary>
    public string? RawBody { get; init; }

    /// <summary>Seconds for the <c>Retry-After</c> header on 429/503; null leaves the header out (the real API documents none).</summary>
    public int? RetryAfterSeconds { get; init; }
}
