using System.Collections.Concurrent;

namespace PscaleBot.Sandbox.Admin;

/// <summary>
/// Counts the <c>/v1</c> calls the sandbox answered, by status and by <c>METHOD path</c> (ids kept: a benchmark wants to
/// see that a burst of reads of one token became one call). It is how a benchmark tells how much of PlanetScale's API a
/// workload spent and how many calls drew a 429. Read and reset over <c>/_sandbox/calls</c>; thread-safe.
/// </summary>
public sealed class ApiCallCounter
{
    private readonly ConcurrentDictionary<int, long> byStatus = new();
    private readonly ConcurrentDictionary<string, long> byRoute = new(StringComparer.Ordinal);
    private long total;

    /// <summary>Counts one answered call.</summary>
    public void Record(string method, string path, int status)
    {
        Interlocked.Increment(ref total);
        byStatus.AddOrUpdate(status, 1, (_, n) => n + 1);
        byRoute.AddOrUpdate($"{method} {path}", 1, (_, n) => n + 1);
    }

    /// <summary>What has been counted since the start or the last <see cref="Reset"/>.</summary>
    public ApiCallCounts Snapshot() => new(
        Interlocked.Read(ref total),
        byStatus.OrderBy(s => s.Key).ToDictionary(s => s.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), s => s.Value, StringComparer.Ordinal),
        byRoute.OrderBy(r => r.Key, StringComparer.Ordinal).ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal));

    /// <summary>Starts counting from zero (between the runs of a benchmark).</summary>
    public void Reset()
    {
        byStatus.Clear();
        byRoute.Clear();
        Interlocked.Exchange(ref total, 0);
    }
}

/// <summary>The calls counted: in total, per HTTP status, and per <c>METHOD path</c>.</summary>
public sealed record ApiCallCounts(long Total, IReadOnlyDictionary<string, long> ByStatus, IReadOnlyDictionary<string, long> ByRoute);
