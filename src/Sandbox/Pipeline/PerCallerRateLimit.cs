using PscaleBot.Sandbox.Faults;

namespace PscaleBot.Sandbox.Pipeline;

/// <summary>
/// A fixed one-minute window per caller (the id before the colon, the Bearer token, or the client address),
/// limited to <see cref="SandboxFaults.RateLimitPerMinute"/>. Windows follow the injected clock.
/// </summary>
internal sealed class PerCallerRateLimit(SandboxFaults faults, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Dictionary<string, (long WindowIndex, int Count)> counters = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>Counts one request; returns null when allowed, else the seconds until the window resets.</summary>
    public int? TryAcquire(string callerKey)
    {
        var limit = faults.RateLimitPerMinute;
        if (limit == 0)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var windowIndex = now.UtcTicks / Window.Ticks;
        lock (gate)
        {
            var (index, count) = counters.GetValueOrDefault(callerKey);
            if (index != windowIndex)
            {
                count = 0;
            }

            if (count >= limit)
            {
                var windowEnd = new DateTimeOffset((windowIndex + 1) * Window.Ticks, TimeSpan.Zero);
                return Math.Max(1, (int)Math.Ceiling((windowEnd - now).TotalSeconds));
            }

            if (counters.Count > 10_000)
            {
                // Floods of made-up ids must not grow the table forever; old windows carry no information.
                foreach (var stale in counters.Where(c => c.Value.WindowIndex != windowIndex).Select(c => c.Key).ToList())
                {
                    counters.Remove(stale);
                }
            }

            counters[callerKey] = (windowIndex, count + 1);
            return null;
        }
    }
}
