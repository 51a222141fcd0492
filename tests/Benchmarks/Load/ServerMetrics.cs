using System.Globalization;

namespace PscaleBot.Benchmarks.Load;

/// <summary>
/// What a bot says about itself on <c>/metrics</c> (Prometheus text), summed over its replicas and labels: the JIT's
/// work, the GC's pauses, and its own acknowledgement histogram. Read before and after a workload, the difference
/// tells how much of a burst went to compiling and collecting, and whether a slow acknowledgement was slow inside the
/// bot (from its middleware to the response) or before it (sockets and scheduling on a shared machine).
/// </summary>
/// <param name="JitMethods">Methods compiled by the JIT (<c>dotnet_jit_compiled_methods_total</c>).</param>
/// <param name="JitSeconds">Time spent compiling (<c>dotnet_jit_compilation_time_seconds_total</c>).</param>
/// <param name="GcPauseSeconds">Time the GC paused the process (<c>dotnet_gc_pause_time_seconds_total</c>).</param>
/// <param name="AllocatedBytes">Bytes allocated on the managed heap (<c>dotnet_gc_heap_total_allocated_bytes_total</c>).</param>
/// <param name="AckBuckets">The acknowledgement histogram's cumulative counts, by upper bound in seconds.</param>
internal sealed record ServerMetrics(double JitMethods, double JitSeconds, double GcPauseSeconds, double AllocatedBytes, IReadOnlyDictionary<double, double> AckBuckets)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Scrapes every root; null when one of them has no <c>/metrics</c> (the Bolt peer) or cannot be read.</summary>
    public static async Task<ServerMetrics?> ReadAsync(IReadOnlyList<Uri> roots)
    {
        var texts = new List<string>();
        foreach (var root in roots)
        {
            try
            {
                using var response = await Http.GetAsync(new Uri(root, "metrics"));
                if (!response.IsSuccessStatusCode)
                {
                    return null;
                }

                texts.Add(await response.Content.ReadAsStringAsync());
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return null;
            }
        }

        // Parse sums every series over its lines, so the replicas' expositions read as one sum over all replicas.
        return Parse(string.Join('\n', texts));
    }

    /// <summary>Reads the series this record holds from a Prometheus text exposition.</summary>
    public static ServerMetrics Parse(string text)
    {
        double jitMethods = 0, jitSeconds = 0, gcPause = 0, allocated = 0;
        var buckets = new Dictionary<double, double>();
        foreach (var line in text.Split('\n'))
        {
            var space = line.LastIndexOf(' ');
            if (line.StartsWith('#') || space < 1)
            {
                continue;
            }

            if (!double.TryParse(line.AsSpan(space + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            var name = line.AsSpan(0, line.IndexOfAny(['{', ' ']));
            switch (name)
            {
                case "dotnet_jit_compiled_methods_total": jitMethods += value; break;
                case "dotnet_jit_compilation_time_seconds_total": jitSeconds += value; break;
                case "dotnet_gc_pause_time_seconds_total": gcPause += value; break;
                case "dotnet_gc_heap_total_allocated_bytes_total": allocated += value; break;
                case "pscalebot_ack_duration_seconds_bucket" when UpperBound(line) is { } le:
                    buckets[le] = buckets.GetValueOrDefault(le) + value;
                    break;
            }
        }

        return new ServerMetrics(jitMethods, jitSeconds, gcPause, allocated, buckets);
    }

    /// <summary>What happened between <paramref name="before"/> and this reading.</summary>
    public ServerWork Since(ServerMetrics before)
    {
        var acks = AckBuckets.ToDictionary(b => b.Key, b => b.Value - before.AckBuckets.GetValueOrDefault(b.Key));
        var total = acks.GetValueOrDefault(double.PositiveInfinity);
        // The smallest bound under which 99 % of the acknowledgements fall: the bot's own p99, to its bucket's bound.
        double? p99 = total > 0 ? acks.Where(b => b.Value >= 0.99 * total).Min(b => b.Key) : null;
        return new ServerWork(JitMethods - before.JitMethods, JitSeconds - before.JitSeconds, GcPauseSeconds - before.GcPauseSeconds,
            AllocatedBytes - before.AllocatedBytes, p99 * 1000);
    }

    private static double? UpperBound(string line)
    {
        const string Le = "le=\"";
        var start = line.IndexOf(Le, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += Le.Length;
        var bound = line.AsSpan(start, line.IndexOf('"', start) - start);
        return bound is "+Inf" ? double.PositiveInfinity
            : double.TryParse(bound, NumberStyles.Float, CultureInfo.InvariantCulture, out var le) ? le : null;
    }
}

/// <summary>A bot's work during one workload, from its own metrics.</summary>
/// <param name="JitMethods">Methods the JIT compiled.</param>
/// <param name="JitSeconds">Time the JIT spent compiling them.</param>
/// <param name="GcPauseSeconds">Time the GC paused the process.</param>
/// <param name="AllocatedBytes">Bytes allocated on the managed heap.</param>
/// <param name="AckP99Ms">The bound of the histogram bucket holding the bot's own acknowledgement p99, in ms (null when none).</param>
internal sealed record ServerWork(double JitMethods, double JitSeconds, double GcPauseSeconds, double AllocatedBytes, double? AckP99Ms);
