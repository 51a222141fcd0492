using System.Collections.Concurrent;
using System.Diagnostics;
using PscaleBot.Benchmarks.Latency;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Model;

namespace PscaleBot.Benchmarks.Load;

/// <summary>Start-up: time to ready (the quickest replica, and the slowest), then N commands one at a time (first vs hundredth).</summary>
internal sealed record StartupResult(string Server, int Round, double ReadyMs, double LastReadyMs, double FirstAckMs, double FirstAnswerMs, double LastAnswerMs, double MedianAnswerMs, int Commands, int Correct, double? PeakRssMb);

/// <summary>The burst: every command sent as fast as <c>Concurrency</c> connections allow.</summary>
internal sealed record BurstResult(string Server, int Round, double AcksDoneMs, LoadTally Tally, double? PeakRssMb, CallCount Calls, CommandCpu Cpu, ServerWork? Work);

/// <summary>Steady: an open-loop rate for a duration.</summary>
internal sealed record SteadyResult(string Server, int Round, int Rate, int Seconds, int NotSentInTime, LoadTally Tally, double? PeakRssMb, CallCount Calls, CommandCpu Cpu, LatencySummary? AcksAfterWarmup, ServerWork? Work)
{
    /// <summary>How much of a steady run counts as the server's first seconds in <see cref="AcksAfterWarmup"/>.</summary>
    public static readonly TimeSpan Warmup = TimeSpan.FromSeconds(10);
}

/// <summary>The revocation storm.</summary>
internal sealed record StormResult(
    string Server, int Grants, int Revoked, double Minutes, double RevokesPerMinute, double? AcceptedPerFullMinute, int FullMinutes, double AcceptedPerMinuteOverall,
    CallCount Calls, int RevokesThatFailed, LoadTally UserCommands);

/// <summary>
/// The four workloads, each against a fresh sandbox process and fresh server processes (and, for a bot on PostgreSQL, a
/// fresh cluster, stopped at the end of the run whatever happened).
/// </summary>
internal sealed class Workloads(LoadOptions options, LoadSlack slack, TextWriter progress)
{
    private static readonly string[] Databases = ["prod", "staging", "analytics"];

    public async Task<StartupResult> StartupAsync(ServerSpec server, int round)
    {
        using var run = new RunDirectory($"startup-{server.Label}-{round}");
        await using var sandbox = await StandaloneSandbox.StartAsync(options.SandboxDll, 0, run.Path);
        await using var storage = await BotStorage.StartAsync(server, run.Path, progress);
        await using (var replicas = await RunningServer.StartAsync(server, sandbox, slack, storage, run.Path))
        {
            var (readyMs, lastReadyMs) = await replicas.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
            using var load = new CommandLoad(replicas.Roots, slack, 1, $"s{server.Label}{round}.");
            var command = LoadCommand.Mix[2];
            var answers = new List<double>();
            double firstAck = 0;
            var correct = 0;
            for (var i = 0; i < options.StartupCommands; i++)
            {
                if (i > 0 && options.StartupGapMs > 0)
                {
                    await Task.Delay(options.StartupGapMs);
                }

                var sentAt = Stopwatch.GetTimestamp();
                var id = await load.SendAsync(command, 0);
                if (i == 0)
                {
                    firstAck = Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds;
                }

                var wait = Stopwatch.StartNew();
                while (!load.IsAnswered(id) && wait.Elapsed < TimeSpan.FromSeconds(30))
                {
                    await Task.Delay(1);
                }

                answers.Add(load.AnswerMilliseconds(id) ?? double.NaN);
            }

            correct = load.Tally().Count(Verdict.Correct);
            var rest = answers.Skip(1).Where(a => !double.IsNaN(a)).ToList();
            return new StartupResult(server.Display, round, readyMs, lastReadyMs, firstAck, answers[0], answers[^1],
                LatencySummary.Of(rest).P50, answers.Count, correct, replicas.PeakRssMegabytes());
        }
    }

    public async Task<BurstResult> BurstAsync(ServerSpec server, int round)
    {
        using var run = new RunDirectory($"burst-{server.Label}-{round}");
        await using var sandbox = await StandaloneSandbox.StartAsync(options.SandboxDll, options.RateLimit, run.Path);
        await using var storage = await BotStorage.StartAsync(server, run.Path, progress);
        await using (var replicas = await RunningServer.StartAsync(server, sandbox, slack, storage, run.Path))
        {
            await replicas.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
            // The sandbox's window is a fixed calendar minute: start early in one, so every server's burst meets the
            // same limit instead of straddling two windows (which would double it for whoever is lucky).
            var second = DateTimeOffset.UtcNow.Second;
            if (second > 40)
            {
                await Task.Delay(TimeSpan.FromSeconds(61 - second));
            }

            await Task.Delay(TimeSpan.FromSeconds(1)); // let the bot's start-up check land before the count resets
            await sandbox.ResetCallsAsync();
            using var load = new CommandLoad(replicas.Roots, slack, options.BurstConcurrency, $"b{server.Label}{round}.");
            var before = await ServerMetrics.ReadAsync(replicas.Roots);
            var cpu = CpuMeter.Start(replicas);
            var next = -1;
            var started = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, options.BurstConcurrency).Select(_ => Task.Run(async () =>
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < options.BurstCommands)
                {
                    await load.SendAsync(index, options.Users);
                }
            })));
            var acksDone = started.Elapsed.TotalMilliseconds;
            await load.WaitForAnswersAsync(TimeSpan.FromSeconds(180));
            await Task.Delay(500); // calls still in flight (a late retry) belong to the burst too
            var tally = load.Tally();
            var commandCpu = cpu.PerCommand(tally.Sent);
            return new BurstResult(server.Display, round, acksDone, tally, replicas.PeakRssMegabytes(), await sandbox.CallsAsync(),
                commandCpu, await WorkSinceAsync(replicas, before));
        }
    }

    public async Task<SteadyResult> SteadyAsync(ServerSpec server, int round)
    {
        using var run = new RunDirectory($"steady-{server.Label}-{round}");
        await using var sandbox = await StandaloneSandbox.StartAsync(options.SandboxDll, 0, run.Path);
        await using var storage = await BotStorage.StartAsync(server, run.Path, progress);
        await using (var replicas = await RunningServer.StartAsync(server, sandbox, slack, storage, run.Path))
        {
            await replicas.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
            await sandbox.ResetCallsAsync();
            const int MaxInFlight = 1024;
            using var load = new CommandLoad(replicas.Roots, slack, 256, $"d{server.Label}{round}.");
            var before = await ServerMetrics.ReadAsync(replicas.Roots);
            var total = options.SteadyRate * options.SteadySeconds;
            var inFlight = 0;
            var notSent = 0;
            var sends = new ConcurrentBag<Task>();
            var cpu = CpuMeter.Start(replicas);
            var clock = Stopwatch.StartNew();
            var warm = Stopwatch.GetTimestamp() + (long)(SteadyResult.Warmup.TotalSeconds * Stopwatch.Frequency);
            for (var i = 0; i < total;)
            {
                var due = (int)Math.Min(total, clock.Elapsed.TotalSeconds * options.SteadyRate + 1);
                for (; i < due; i++)
                {
                    if (Volatile.Read(ref inFlight) >= MaxInFlight)
                    {
                        notSent++;
                        continue;
                    }

                    Interlocked.Increment(ref inFlight);
                    var sequence = i;
                    sends.Add(Task.Run(async () =>
                    {
                        try
                        {
                            await load.SendAsync(sequence, options.Users);
                        }
                        finally
                        {
                            Interlocked.Decrement(ref inFlight);
                        }
                    }));
                }

                await Task.Delay(1);
            }

            await Task.WhenAll(sends);
            await load.WaitForAnswersAsync(TimeSpan.FromSeconds(60));
            var tally = load.Tally();
            var afterWarmup = options.SteadySeconds > 2 * SteadyResult.Warmup.TotalSeconds ? load.AcksSentFrom(warm) : null;
            var commandCpu = cpu.PerCommand(tally.Sent);
            return new SteadyResult(server.Display, round, options.SteadyRate, options.SteadySeconds, notSent, tally, replicas.PeakRssMegabytes(), await sandbox.CallsAsync(),
                commandCpu, afterWarmup, await WorkSinceAsync(replicas, before));
        }
    }

    // The bot's own account of the workload (null for the Bolt peer, which has no /metrics).
    private static async Task<ServerWork?> WorkSinceAsync(RunningServer replicas, ServerMetrics? before) =>
        before is not null && await ServerMetrics.ReadAsync(replicas.Roots) is { } after ? after.Since(before) : null;

    public async Task<StormResult> StormAsync(ServerSpec server)
    {
        using var run = new RunDirectory($"storm-{server.Label}");
        await using var sandbox = await StandaloneSandbox.StartAsync(options.SandboxDll, options.RateLimit, run.Path);
        var grants = options.StormGrants;
        await progress.WriteLineAsync($"  seeding {grants} grants (sandbox accesses as the admin, rate limit off; then the bot's access store)…");
        await sandbox.SetRateLimitAsync(0);
        var tokens = new string[(grants + Databases.Length - 1) / Databases.Length];
        await Parallel.ForAsync(0, tokens.Length, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            tokens[i] = await sandbox.CreateTokenAsync($"storm-{i:00000}"));
        await Parallel.ForAsync(0, grants, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            await sandbox.AddAccessAsync(tokens[i / Databases.Length], Databases[i % Databases.Length], "read_branch"));
        await sandbox.SetRateLimitAsync(options.RateLimit);
        await using var storage = await BotStorage.StartAsync(server, run.Path, progress);
        await storage.SeedGrantsAsync(Grants(tokens, grants));
        await sandbox.ResetCallsAsync();

        // Every replica sweeps the same store: the revocations are shared out by their claims, the budget by the database.
        await using (var replicas = await RunningServer.StartAsync(server, sandbox, slack, storage, run.Path))
        {
            var clock = Stopwatch.StartNew();
            await replicas.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
            using var load = new CommandLoad(replicas.Roots, slack, 16, $"r{server.Label}.");
            var userSends = new List<Task>();
            var windows = new List<CallCount>();
            var lastMinute = DateTimeOffset.UtcNow.Minute;
            var revoked = 0;
            var limit = TimeSpan.FromMinutes(options.StormMinutes);
            for (var tick = 0; clock.Elapsed < limit; tick++)
            {
                // One person's command a second meanwhile, alternating a list and a show-access.
                userSends.Add(load.SendAsync(LoadCommand.Mix[tick % 2 == 0 ? 0 : 2], tick % options.Users));
                if (DateTimeOffset.UtcNow.Minute != lastMinute)
                {
                    lastMinute = DateTimeOffset.UtcNow.Minute;
                    windows.Add(await sandbox.CallsAsync());
                }

                revoked = await storage.CountEndedGrantsAsync();
                if (revoked >= grants)
                {
                    break;
                }

                await Task.Delay(1000);
            }

            var minutes = clock.Elapsed.TotalMinutes;
            await Task.WhenAll(userSends);
            var calls = await sandbox.CallsAsync();
            await load.WaitForAnswersAsync(TimeSpan.FromSeconds(30));
            revoked = await storage.CountEndedGrantsAsync();
            var failed = await storage.CountGrantsWithFailedRevokesAsync();
            // Full calendar minutes between two boundary samples: the sandbox's own windows.
            var full = windows.Zip(windows.Skip(1), (a, b) => (b - a).Accepted).ToList();
            return new StormResult(server.Display, grants, revoked, minutes, revoked / minutes,
                full.Count == 0 ? null : full.Average(), full.Count, calls.Accepted / minutes, calls, failed, load.Tally());
        }
    }

    private static List<AccessGrant> Grants(string[] tokens, int grants)
    {
        var now = DateTimeOffset.UtcNow;
        return [.. Enumerable.Range(0, grants).Select(i =>
        {
            var user = LoadCommand.User(i % 50);
            return new AccessGrant(
                $"g{i:000000}",
                new AccessTarget("acme", tokens[i / Databases.Length], Databases[i % Databases.Length], ["read_branch"]),
                ["read_branch"],
                new AccessRequester(user, user, ChatPlatform.Slack, $"slack:channel:{LoadSlack.ChannelId}"),
                "load test",
                null,
                null,
                [],
                false,
                now - TimeSpan.FromHours(1),
                now - TimeSpan.FromMinutes(1));
        })];
    }
}

/// <summary>A temporary folder for one run's data and logs, removed afterwards unless PSCALE_LOAD_KEEP is set.</summary>
internal sealed class RunDirectory : IDisposable
{
    public RunDirectory(string name) => Path = Directory.CreateTempSubdirectory($"pscale-load-{name}-").FullName;

    public string Path { get; }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("PSCALE_LOAD_KEEP") is null)
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // A process still closing a file: the folder is in /tmp, left for the system to clear.
            }
        }
    }
}

/// <summary>CPU milliseconds per command: the server's (all its processes), and the driver's own; null when unknown.</summary>
internal sealed record CommandCpu(double? ServerMs, double? DriverMs);

/// <summary>
/// Reads the CPU time the server and the driver (sending, signing, and the fake Slack judging every answer) spend
/// from <see cref="Start"/> on: they share the machine's cores, so a reader sees how much of them the server had.
/// </summary>
internal sealed class CpuMeter(RunningServer server, TimeSpan? serverBefore, TimeSpan driverBefore)
{
    public static CpuMeter Start(RunningServer server) => new(server, server.CpuTime(), Driver());

    public CommandCpu PerCommand(int commands) => new(
        serverBefore is { } start && server.CpuTime() is { } end && commands > 0 ? (end - start).TotalMilliseconds / commands : null,
        commands > 0 ? (Driver() - driverBefore).TotalMilliseconds / commands : null);

    private static TimeSpan Driver() => Process.GetCurrentProcess().TotalProcessorTime;
}
