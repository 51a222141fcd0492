using System.Globalization;

namespace PscaleBot.Benchmarks.Load;

/// <summary>
/// <c>load</c>: the servers (pscale-bot builds and the Bolt-js peer) as real processes against the standalone sandbox,
/// alternated workload by workload and round by round, and a markdown report ready to paste into docs/benchmarks.md.
/// </summary>
internal static class LoadHarness
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        if (LoadOptions.Parse(args, Console.Error) is not { } options)
        {
            return 2;
        }

        var progress = Console.Error;
        await using var slack = await LoadSlack.StartAsync(options.Users);
        var workloads = new Workloads(options, slack, progress);
        var startups = new List<StartupResult>();
        var bursts = new List<BurstResult>();
        var steadies = new List<SteadyResult>();
        var storms = new List<StormResult>();
        var began = DateTimeOffset.UtcNow;
        await WarmDriverAsync(workloads, options.Servers[0], progress);
        foreach (var workload in options.Workloads)
        {
            for (var round = 1; round <= options.Rounds; round++)
            {
                // Alternate the order each round, so neither server always runs on the warmer (or busier) machine.
                var servers = round % 2 == 1 ? options.Servers : options.Servers.Reverse().ToList();
                foreach (var server in servers)
                {
                    if (workload == "storm" && (server.Kind != ServerKind.Bot || round > 1))
                    {
                        continue; // the peer has no grants to revoke; one storm per bot build is minutes already
                    }

                    await progress.WriteLineAsync($"[{DateTimeOffset.UtcNow:HH:mm:ss}] {workload} round {round}: {server.Display} (load average {LoadAverage()})");
                    try
                    {
                        switch (workload)
                        {
                            case "startup": startups.Add(await workloads.StartupAsync(server, round)); break;
                            case "burst": bursts.Add(await workloads.BurstAsync(server, round)); break;
                            case "steady": steadies.Add(await workloads.SteadyAsync(server, round)); break;
                            default: storms.Add(await workloads.StormAsync(server)); break;
                        }
                    }
                    catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException or IOException or Npgsql.NpgsqlException)
                    {
                        await progress.WriteLineAsync($"  {workload} against {server.Display} failed: {e.Message}");
                    }
                }
            }
        }

        await LoadReport.WriteAsync(output, options, began, startups, bursts, steadies, storms, slack.Wrong);
        return 0;
    }

    /// <summary>
    /// Two bursts whose figures are thrown away, so the driver's own code (signing, sending, and receiving and judging
    /// answers as the fake Slack) is compiled before anything is measured. It takes two: the driver's JIT compiled
    /// 1,194 methods in 510 ms during the first burst it ever sent, 862 in 938 ms during the second (the optimized
    /// recompiles of its hot methods, which start only once those have been called again), 74 during the third and 9
    /// during the fourth. Without them, the first server measured paid for that on the same 2 cores: 0.85-1.1 ms of
    /// driver CPU a command in its burst, against 0.16-0.2 ms later.
    /// </summary>
    private static async Task WarmDriverAsync(Workloads workloads, ServerSpec server, TextWriter progress)
    {
        await progress.WriteLineAsync($"[{DateTimeOffset.UtcNow:HH:mm:ss}] driver warm-up: two bursts against {server.Display}, not reported");
        try
        {
            await workloads.BurstAsync(server, round: -1);
            await workloads.BurstAsync(server, round: 0);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException or IOException or Npgsql.NpgsqlException)
        {
            await progress.WriteLineAsync($"  driver warm-up failed (the first measurement will include the driver's start): {e.Message}");
        }
    }

    /// <summary>The 1-, 5- and 15-minute load averages.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    public static string Ms(double ms) => ms >= 1000
        ? string.Create(CultureInfo.InvariantCulture, $"{ms / 1000:0.00} s")
        : string.Create(CultureInfo.InvariantCulture, $"{ms:0} ms");
}
