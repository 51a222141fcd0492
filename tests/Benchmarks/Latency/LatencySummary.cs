using System.Globalization;

namespace PscaleBot.Benchmarks.Latency;

/// <summary>Percentiles of a set of latencies (nearest-rank), in milliseconds.</summary>
public sealed record LatencySummary(int Count, double P50, double P95, double P99, double Max, double Mean)
{
    /// <summary>Summarises <paramref name="milliseconds"/>; all zeros when empty.</summary>
    public static LatencySummary Of(IReadOnlyCollection<double> milliseconds)
    {
        if (milliseconds.Count == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0, 0);
        }

        var sorted = milliseconds.Order().ToArray();
        return new LatencySummary(sorted.Length, Rank(sorted, 0.50), Rank(sorted, 0.95), Rank(sorted, 0.99), sorted[^1], sorted.Average());
    }

    /// <summary>A markdown table row: count, p50, p95, p99, max, mean.</summary>
    public string ToMarkdownRow(string label) => string.Create(CultureInfo.InvariantCulture,
        $"| {label} | {Count} | {P50:0.0} | {P95:0.0} | {P99:0.0} | {Max:0.0} | {Mean:0.0} |");

    private static double Rank(double[] sorted, double quantile) =>
        sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
}
