namespace PscaleBot.Sandbox.Faults;

/// <summary>
/// The live fault settings. Tests change them in-process (<c>server.Faults.Set(...)</c>, <c>Force(...)</c>);
/// the admin endpoint <c>/_sandbox/faults</c> changes them from loopback. Thread-safe.
/// </summary>
public sealed class SandboxFaults
{
    private readonly Lock gate = new();
    private readonly FaultOptions initial;
    private FaultOptions current;
    private Random random;
    private int[] remaining;
    private int[] passed;
    private int pendingDelays;

    /// <summary>Starts from the configured settings.</summary>
    public SandboxFaults(FaultOptions configured)
    {
        initial = configured.Clone();
        current = initial.Clone();
        random = NewRandom(current.Seed);
        remaining = Counters(current);
        passed = new int[current.Forced.Count];
    }

    /// <summary>A copy of the settings in force.</summary>
    public FaultOptions Current
    {
        get
        {
            lock (gate)
            {
                return current.Clone();
            }
        }
    }

    /// <summary>Requests currently held back by injected latency (lets tests wait for a delay to begin).</summary>
    public int PendingDelays => Volatile.Read(ref pendingDelays);

    /// <summary>Replaces every setting; the random generator restarts from the new seed and forced counts restart.</summary>
    public void Set(FaultOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        FaultOptionsValidator.ThrowIfInvalid(options);
        lock (gate)
        {
            current = options.Clone();
            random = NewRandom(current.Seed);
            remaining = Counters(current);
            passed = new int[current.Forced.Count];
        }
    }

    /// <summary>
    /// Adds one forced response, e.g. <c>Force("DELETE", "/v1/organizations/*/service-tokens/*/access", 429, times: 2)</c>.
    /// Faults already in force keep their remaining counts.
    /// </summary>
    public void Force(string? method, string pathGlob, int status, int? times = null, int? retryAfterSeconds = null, int after = 0)
    {
        var fault = new ForcedFault { Method = method, Path = pathGlob, Status = status, Times = times, RetryAfterSeconds = retryAfterSeconds, After = after };
        FaultOptionsValidator.ThrowIfInvalid(new FaultOptions { Forced = [fault] });
        lock (gate)
        {
            current.Forced.Add(fault);
            remaining = [.. remaining, fault.Times ?? -1];
            passed = [.. passed, 0];
        }
    }

    /// <summary>Changes only the per-minute rate limit (0 turns it off).</summary>
    public void SetRateLimit(int perMinute)
    {
        FaultOptionsValidator.ThrowIfInvalid(new FaultOptions { RateLimitPerMinute = perMinute });
        lock (gate)
        {
            current.RateLimitPerMinute = perMinute;
        }
    }

    /// <summary>Back to the settings the sandbox started with.</summary>
    public void Reset() => Set(initial);

    /// <summary>The per-minute limit in force.</summary>
    public int RateLimitPerMinute
    {
        get
        {
            lock (gate)
            {
                return current.RateLimitPerMinute;
            }
        }
    }

    /// <summary>The delay to add to this request.</summary>
    internal TimeSpan NextDelay()
    {
        lock (gate)
        {
            var jitter = current.JitterMs > 0 ? random.Next(current.JitterMs + 1) : 0;
            return TimeSpan.FromMilliseconds(current.LatencyMs + jitter);
        }
    }

    /// <summary>The first forced fault matching this request that has calls left; consumes one call.</summary>
    internal ForcedFault? TakeForced(string method, string path)
    {
        lock (gate)
        {
            for (var i = 0; i < current.Forced.Count; i++)
            {
                var fault = current.Forced[i];
                var methodMatches = fault.Method is null or "*" || string.Equals(fault.Method, method, StringComparison.OrdinalIgnoreCase);
                if (!methodMatches || remaining[i] == 0 || !PathGlob.IsMatch(fault.Path, path))
                {
                    continue;
                }

                if (passed[i] < fault.After)
                {
                    passed[i]++;
                    continue;
                }

                if (remaining[i] > 0)
                {
                    remaining[i]--;
                }

                return fault;
            }

            return null;
        }
    }

    /// <summary>True when this request should fail with a random 500.</summary>
    internal bool NextRandomError()
    {
        lock (gate)
        {
            return current.ErrorRate > 0 && random.NextDouble() < current.ErrorRate;
        }
    }

    internal void DelayStarted() => Interlocked.Increment(ref pendingDelays);

    internal void DelayEnded() => Interlocked.Decrement(ref pendingDelays);

    private static Random NewRandom(int? seed) => seed is { } s ? new Random(s) : new Random();

    // -1 means "no limit".
    private static int[] Counters(FaultOptions options) => options.Forced.Select(f => f.Times ?? -1).ToArray();
}
