using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;

namespace PscaleBot.Benchmarks;

/// <summary>
/// One short job for every benchmark: the suite must finish in minutes on a 2-core machine shared with builds,
/// so each case gets 3 warm-ups and 5 measured iterations in one process instead of BenchmarkDotNet's default
/// statistical run. The error column says how much to trust each number. The job is the default one, so
/// BenchmarkDotNet's command-line options (<c>--inProcess</c>, <c>--iterationCount</c>, …) adjust it instead of adding
/// another job.
/// </summary>
public sealed class ShortRunConfig : ManualConfig
{
    public ShortRunConfig()
    {
        // Loggers, columns and exporters as BenchmarkDotNet sets them by default; only the job is ours.
        Add(DefaultConfig.Instance);
        AddJob(Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(5)
            .WithId("Short")
            .AsDefault());
        AddDiagnoser(MemoryDiagnoser.Default);
        WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(BenchmarkDotNet.Columns.RatioStyle.Trend));

        // Out of process, BenchmarkDotNet rebuilds the whole project graph first; on a busy 2-core machine that
        // overruns its 2-minute default.
        WithBuildTimeout(TimeSpan.FromMinutes(10));
    }
}
