using System.Globalization;
using BenchmarkDotNet.Running;
using PscaleBot.Benchmarks;
using PscaleBot.Benchmarks.Latency;

// Two kinds of measurement share this program:
//   slack-ack / slack-e2e  the running bot over loopback HTTP (latency percentiles; not BenchmarkDotNet)
//   load                   real processes (bot builds, the Bolt-js peer, the sandbox) under burst/steady/storm/start-up (bench/run.sh)
//   render-sizes           how many messages and characters each rendering benchmark produces
//   store-cost             what the stores cost one command, SQLite against a throwaway PostgreSQL (--count, --concurrency)
//   anything else          BenchmarkDotNet micro-benchmarks (e.g. --filter '*Parser*', or no arguments for a menu)
var mode = args.FirstOrDefault();
if (mode is "slack-ack" or "slack-e2e")
{
    var ack = mode == "slack-ack";
    var run = new LatencyRun(
        Commands: IntOption(args, "--count", 200),
        Concurrency: IntOption(args, "--concurrency", 16),
        SandboxLatency: TimeSpan.FromMilliseconds(IntOption(args, "--sandbox-latency-ms", ack ? 5000 : 0)),
        WaitForResponseUrl: !ack,
        Deadline: TimeSpan.FromSeconds(IntOption(args, "--deadline-s", 120)),
        DumpLogs: args.Contains("--dump-logs"),
        ClosedLoop: !ack && args.Contains("--closed-loop"));
    return await SlackLatencyHarness.RunAsync(run, Console.Out);
}

if (mode == "store-cost")
{
    return await PscaleBot.Benchmarks.Storage.StoreCostHarness.RunAsync(IntOption(args, "--count", 2000), IntOption(args, "--concurrency", 8), Console.Out);
}

if (mode == "load")
{
    return await PscaleBot.Benchmarks.Load.LoadHarness.RunAsync(args[1..], Console.Out);
}

if (mode == "render-sizes")
{
    await PscaleBot.Benchmarks.Rendering.RenderedSizes.WriteAsync(Console.Out);
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(SlackLatencyHarness).Assembly).Run(args, new ShortRunConfig());
return 0;

static int IntOption(string[] args, string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value)
        ? value
        : fallback;
}
