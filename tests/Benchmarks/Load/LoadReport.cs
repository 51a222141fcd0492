using System.Globalization;

namespace PscaleBot.Benchmarks.Load;

/// <summary>The markdown tables of a <c>load</c> run, with the machine and its load named.</summary>
internal static class LoadReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task WriteAsync(
        TextWriter o, LoadOptions options, DateTimeOffset began,
        List<StartupResult> startups, List<BurstResult> bursts, List<SteadyResult> steadies, List<StormResult> storms, WrongAnswers wrong)
    {
        await o.WriteLineAsync(F($"Measured {began:yyyy-MM-dd HH:mm}–{DateTimeOffset.UtcNow:HH:mm} UTC on {Machine()}, {Environment.ProcessorCount} cores, load average at the end {LoadHarness.LoadAverage()}."));
        await o.WriteLineAsync(F($"Servers: {string.Join(", ", options.Servers.Select(s => $"{s.Display} ({Describe(s)})"))}; {options.Rounds} round(s), order alternated per round."));
        if (options.AnyReplicated)
        {
            await o.WriteLineAsync("Commands go round-robin over a bot's replicas. Its peak RSS is the sum of its processes' peaks (PostgreSQL's own memory not counted); PlanetScale calls are counted at the sandbox, so they are the replicas' total against one shared budget.");
        }

        await o.WriteLineAsync();
        var rss = options.AnyReplicated ? "peak RSS (sum of replicas)" : "peak RSS";
        if (startups.Count > 0)
        {
            await o.WriteLineAsync(F($"**Start-up** (fresh process; then {options.StartupCommands} `show-access` one at a time{Gap(options.StartupGapMs)}, rate limit off)"));
            await o.WriteLineAsync();
            var ready = options.AnyReplicated ? "ready (`/readyz`; first / last replica)" : "ready (`/readyz`)";
            await o.WriteLineAsync($"| server | round | {ready} | 1st ack | 1st answer | last answer | median answer 2..n | correct | {rss} |");
            await o.WriteLineAsync("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var s in startups)
            {
                await o.WriteLineAsync(F($"| {s.Server} | {s.Round} | {Ready(s)} | {Ms(s.FirstAckMs)} | {Ms(s.FirstAnswerMs)} | {Ms(s.LastAnswerMs)} | {Ms(s.MedianAnswerMs)} | {s.Correct}/{s.Commands} | {Mb(s.PeakRssMb)} |"));
            }

            await Ratios(o, startups, s => s.Server, ("ready", s => s.ReadyMs), ("1st answer", s => s.FirstAnswerMs), ("median answer", s => s.MedianAnswerMs));
        }

        if (bursts.Count > 0)
        {
            await o.WriteLineAsync(F($"**Burst**: {options.BurstCommands} signed slash commands (list, list --format csv, show-access ×2, whoami; {options.Users} users), {options.BurstConcurrency} connections, sandbox at {options.RateLimit}/min"));
            await o.WriteLineAsync();
            await o.WriteLineAsync($"| server | round | acks done in | ack p50 / p99 | answered correctly | answered \"busy\" | errors (429 to user, denied) | no answer | answer p50 / p99 | {rss} | PlanetScale calls (429) | CPU per command: server / driver |");
            await o.WriteLineAsync("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var b in bursts)
            {
                var t = b.Tally;
                await o.WriteLineAsync(F($"| {b.Server} | {b.Round} | {Ms(b.AcksDoneMs)} | {t.Acks.P50:0} / {t.Acks.P99:0} ms | {t.Count(Verdict.Correct)} | {t.Count(Verdict.Busy)} | {Errors(t)} | {t.Count(Verdict.Missing)} | {Ms(t.Answers.P50)} / {Ms(t.Answers.P99)} | {Mb(b.PeakRssMb)} | {b.Calls.Total} ({b.Calls.TooManyRequests}) | {Cpu(b.Cpu)} |"));
            }

            await Ratios(o, bursts, b => b.Server, ("acks done in", b => b.AcksDoneMs), ("ack p99", b => b.Tally.Acks.P99),
                ("answer p50", b => b.Tally.Answers.P50), ("answer p99", b => b.Tally.Answers.P99), ("correct", b => b.Tally.Count(Verdict.Correct)),
                ("peak RSS", b => b.PeakRssMb ?? double.NaN), ("PlanetScale calls", b => b.Calls.Total));
        }

        if (steadies.Count > 0)
        {
            await o.WriteLineAsync(F($"**Steady**: {options.SteadyRate} commands/s for {options.SteadySeconds} s (open loop, up to 1,024 in flight), sandbox rate limit off"));
            await o.WriteLineAsync();
            await o.WriteLineAsync($"| server | round | sent | not sent (1,024 already in flight) | ack p50 / p99 | ack p50 / p99 after the first {SteadyResult.Warmup.TotalSeconds:0} s | answered correctly | busy | errors (429 to user, denied) | no answer | answer p50 / p99 | {rss} | PlanetScale calls | CPU per command: server / driver |");
            await o.WriteLineAsync("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var s in steadies)
            {
                var t = s.Tally;
                await o.WriteLineAsync(F($"| {s.Server} | {s.Round} | {t.Sent} | {s.NotSentInTime} | {t.Acks.P50:0.0} / {t.Acks.P99:0.0} ms | {AfterWarmup(s)} | {t.Count(Verdict.Correct)} | {t.Count(Verdict.Busy)} | {Errors(t)} | {t.Count(Verdict.Missing)} | {Ms(t.Answers.P50)} / {Ms(t.Answers.P99)} | {Mb(s.PeakRssMb)} | {s.Calls.Total} | {Cpu(s.Cpu)} |"));
            }

            await Ratios(o, steadies, s => s.Server, ("ack p99", s => s.Tally.Acks.P99), ("correct", s => s.Tally.Count(Verdict.Correct)), ("answer p99", s => s.Tally.Answers.P99));
        }

        await WorkAsync(o, [.. bursts.Select(b => ("burst", b.Server, b.Round, b.Tally.Sent, b.Work)), .. steadies.Select(s => ("steady", s.Server, s.Round, s.Tally.Sent, s.Work))]);

        if (storms.Count > 0)
        {
            await o.WriteLineAsync(F($"**Revocation storm**: {storms[0].Grants} grants due at once (sandbox accesses real, 1 permission each), sandbox at {options.RateLimit}/min; one user command a second meanwhile"));
            await o.WriteLineAsync();
            await o.WriteLineAsync("| server | revoked | in | revokes/min | accepted calls per full minute (% of limit) | accepted calls/min overall | 429s drawn | revokes that failed once or more | user commands: correct / 429 to user / sent | user answer p50 / p99 |");
            await o.WriteLineAsync("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var s in storms)
            {
                var full = s.AcceptedPerFullMinute is { } a ? F($"{a:0} ({a / options.RateLimit:P0}, {s.FullMinutes} min)") : "no full minute";
                await o.WriteLineAsync(F($"| {s.Server} | {s.Revoked}/{s.Grants} | {s.Minutes:0.0} min | {s.RevokesPerMinute:0} | {full} | {s.AcceptedPerMinuteOverall:0} | {s.Calls.TooManyRequests} | {s.RevokesThatFailed} | {s.UserCommands.Count(Verdict.Correct)} / {s.UserCommands.Count(Verdict.RateLimited)} / {s.UserCommands.Sent} | {Ms(s.UserCommands.Answers.P50)} / {Ms(s.UserCommands.Answers.P99)} |"));
            }

            await o.WriteLineAsync();
        }

        var kinds = wrong.All();
        if (kinds.Count > 0)
        {
            await o.WriteLineAsync("**Answers not judged correct** (run prefix: s = start-up, b = burst, d = steady, r = storm; then the server; the first of each kind)");
            await o.WriteLineAsync();
            foreach (var (run, command, verdict, count, body) in kinds)
            {
                await o.WriteLineAsync(F($"- `{run}` {command}, {verdict} ×{count}: `{body.ReplaceLineEndings(" ").Replace('`', '\'')}`"));
            }

            await o.WriteLineAsync();
        }
    }

    // The bots' own metrics: how much of a workload went to the JIT and the GC, and whether slow acknowledgements were
    // slow inside the bot (its histogram, from the middleware on) or before it reached the bot.
    private static async Task WorkAsync(TextWriter o, List<(string Workload, string Server, int Round, int Sent, ServerWork? Work)> rows)
    {
        rows = rows.Where(r => r.Work is not null).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        await o.WriteLineAsync("**The bot's own account** (its /metrics, read before and after; all replicas): JIT and GC work, and its own acknowledgement p99 as the bound of the histogram bucket that holds it");
        await o.WriteLineAsync();
        await o.WriteLineAsync("| workload | server | round | methods compiled by the JIT | JIT time | JIT time per command | GC pauses | allocated per command | the bot's own ack p99 |");
        await o.WriteLineAsync("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (workload, server, round, sent, work) in rows)
        {
            var w = work!;
            var perCommand = sent > 0 ? F($"{w.JitSeconds * 1000 / sent:0.00} ms") : "–";
            var allocated = sent > 0 ? F($"{w.AllocatedBytes / 1024 / sent:0} KB") : "–";
            var ack = w.AckP99Ms is { } p ? (double.IsPositiveInfinity(p) ? "over 10 s" : F($"≤ {p:0} ms")) : "–";
            await o.WriteLineAsync(F($"| {workload} | {server} | {round} | {w.JitMethods:0} | {Ms(w.JitSeconds * 1000)} | {perCommand} | {Ms(w.GcPauseSeconds * 1000)} | {allocated} | {ack} |"));
        }

        await o.WriteLineAsync();
    }

    // Every other server against the first one, on the medians of their rounds: "×2.0" means twice the first's value.
    private static async Task Ratios<T>(TextWriter o, List<T> results, Func<T, string> server, params (string Name, Func<T, double> Value)[] measures)
    {
        var names = results.Select(server).Distinct().ToList();
        await o.WriteLineAsync();
        if (names.Count < 2)
        {
            return;
        }

        foreach (var other in names.Skip(1))
        {
            var parts = measures.Select(m =>
            {
                var first = Median(results.Where(r => server(r) == names[0]).Select(m.Value));
                var second = Median(results.Where(r => server(r) == other).Select(m.Value));
                return first == 0 || double.IsNaN(first) || double.IsNaN(second) ? $"{m.Name} n/a" : F($"{m.Name} ×{second / first:0.00}");
            });
            await o.WriteLineAsync($"Ratio {other} ÷ {names[0]} (medians of rounds): {string.Join(", ", parts)}.");
        }

        await o.WriteLineAsync();
    }

    private static string Describe(ServerSpec s) => s.Kind switch
    {
        ServerKind.Bolt => "Bolt-js peer",
        _ when s.Postgres => F($"pscale-bot, {s.Replicas} replica(s) on one throwaway PostgreSQL database, rate budget shared through it"),
        _ => "pscale-bot, SQLite files",
    };

    private static string Ready(StartupResult s) =>
        s.LastReadyMs > s.ReadyMs ? $"{Ms(s.ReadyMs)} / {Ms(s.LastReadyMs)}" : Ms(s.ReadyMs);

    private static string Errors(LoadTally t) =>
        F($"{t.Count(Verdict.Error) + t.Count(Verdict.RateLimited) + t.Count(Verdict.Denied)} ({t.Count(Verdict.RateLimited)}, {t.Count(Verdict.Denied)})");

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
    }

    private static string Machine()
    {
        try
        {
            var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
            return model ?? "unknown CPU";
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }

    private static string Ms(double ms) => double.IsNaN(ms) ? "–" : LoadHarness.Ms(ms);

    private static string Gap(int ms) => ms > 0 ? F($", each sent {ms} ms after the previous answer (an idle bot)") : "";

    private static string Cpu(CommandCpu cpu) => $"{CpuMs(cpu.ServerMs)} / {CpuMs(cpu.DriverMs)}";

    private static string CpuMs(double? ms) => ms is { } v ? F($"{v:0.00} ms") : "–";

    // Only for runs long enough to have a steady part (the full 60 s; not --quick's 10 s).
    private static string AfterWarmup(SteadyResult s) => s.AcksAfterWarmup is { Count: > 0 } a ? F($"{a.P50:0.0} / {a.P99:0.0} ms") : "–";

    private static string Mb(double? mb) => mb is { } v ? F($"{v:0} MB") : "–";

    private static string F(FormattableString text) => text.ToString(Inv);
}
