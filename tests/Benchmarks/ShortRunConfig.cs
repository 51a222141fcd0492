using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;

namespace PscaleBot.Benchmarks;

/// <summary>
/// One short job for every benchmark: the suite must finish in minutes on a 2-core machine shared with builds,
/// so each case gets 3 warm-ups and 5 measured iterations in one process instead of BenchmarkDotNet's default
/// statistical run. The error column says how much to trust each number.
/// </summary>
public sealed class ShortRunConfig : ManualConfig
{
    public ShortRunConfig()
    {
        AddJob(Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(5)
            .WithId("Short"));
        AddDiagnoser(MemoryDiagnoser.Default);
        WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(BenchmarkDotNet.Columns.RatioStyle.Trend));
        WithOptions(ConfigOptions.JoinSummary);
    }
}
