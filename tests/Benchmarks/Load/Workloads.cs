using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using PscaleBot.Benchmarks.Latency;
using PscaleBot.Bot.Access;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Model;

namespace PscaleBot.Benchmarks.Load;

/// <summary>Start-up: time to ready, then N commands one at a time (first vs hundredth).</summary>
internal sealed record StartupResult(string Server, int Round, double ReadyMs, double FirstAckMs, double FirstAnswerMs, double LastAnswerMs, double MedianAnswerMs, int Commands, int Correct, double? PeakRssMb);

/// <summary>The burst: every command sent as fast as <c>Concurrency</c> connections allow.</summary>
internal sealed record BurstResult(string Server, int Round, double AcksDoneMs, LoadTally Tally, double? PeakRssMb, CallCount Calls);

/// <summary>Steady: an open-loop rate for a duration.</summary>
internal sealed record SteadyResult(string Server, int Round, int Rate, int Seconds, int NotSentInTime, LoadTally Tally, double? PeakRssMb, CallCount Calls);

/// <summary>The revocation storm.</summary>
internal sealed record StormResult(
    string Server, int Grants, int Revoked, double Minutes, double RevokesPerMinute, double? AcceptedPerFullMinute, int FullMinutes, double AcceptedPerMinuteOverall,
    CallCount Calls, int RevokesThatFailed, LoadTally UserCommands);

/// <summary>The four workloads, each against a fresh sandbox process and a fresh server process.</summary>
internal sealed class Workloads(LoadOptions options, LoadSlack slack, TextWriter progress)
{
    private static readonly string[] Databases = ["prod", "staging", "analytics"];

    public async Task<StartupResult> StartupAsync(ServerSpec server, int round)
    {
        using var run = new RunDirectory($"startup-{server.Label}-{round}");
        await using var sandbox = await StandaloneSandbox.StartAsync(options.SandboxDll, 0, run.Path);
        var (process, root) = ServerUnderLoad.Start(server, sandbox, slack, run.Path);
        await using (process)
        {
            var readyAt = await process.WaitUntilReadyAsync(new Uri(root, "/readyz"), TimeSpan.FromSeconds(120));
            var readyMs = Stopwatch.GetElapsedTime(process.StartedAt, readyAt).TotalMilliseconds;
            using var load = new CommandLoad(root, slack, 1, $"s{server.Label}{round}.");
            var command = LoadCommand.Mix[2];
            var answers = new List<double>();
            double firstAck = 0;
            var correct = 0;
            for (var i = 0; i < options.StartupCommands; i++)
            {
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
            return new StartupResult(server.Label, round, readyMs, firstAck, answers[0], answers[^1],
                LatencySummary.Of(rest).P50, answers.Count, correct, process.PeakRssMegabytes());
        }
    }

    public async Task<BurstResult> BurstAsync(ServerSpec server, int round)
    {
        using var run = new RunDirectory($"burst-{server.Label}-{round}");
        await using var sandbox = await StandaloneSandbox.StartAsync(options.SandboxDll, options.RateLimit, run.Path);
        var (process, root) = ServerUnderLoad.Start(server, sandbox, slack, run.Path);
        await using (process)
        {
            await process.WaitUntilReadyAsync(new Uri(root, "/readyz"), TimeSpan.FromSeconds(120));
            // The sandbox's window is a fixed calendar minute: start early in one, so every server's burst meets the
            // same limit instead of straddling two windows (which would double it for whoever is lucky).
            var second = DateTimeOffset.UtcNow.Second;
            if (second > 40)
            {
                await Task.Delay(TimeSpan.FromSeconds(61 - second));
            }

            await Task.Delay(TimeSpan.FromSeconds(1)); // let the bot's start-up check land before the count resets
            await sandbox.ResetCallsAsync();
            using var load = new CommandLoad(root, slack, options.BurstConcurrency, $"b{server.Label}{round}.");
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
            return new BurstResult(server.Label, round, acksDone, load.Tally(), process.PeakRssMegabytes(), await sandbox.CallsAsync());
        }
    }

    public async Task<SteadyResult> SteadyAsync(ServerSpec server, int round)
    {
        using var run = new RunDirectory($"steady-{server.Label}-{round}");
        await using var sandbox = await StandaloneSandbox.StartAsync(options.SandboxDll, 0, run.Path);
        var (process, root) = ServerUnderLoad.Start(server, sandbox, slack, run.Path);
        await using (process)
        {
            await process.WaitUntilReadyAsync(new Uri(root, "/readyz"), TimeSpan.FromSeconds(120));
            await sandbox.ResetCallsAsync();
            const int MaxInFlight = 1024;
            using var load = new CommandLoad(root, slack, 256, $"d{server.Label}{round}.");
            var total = options.SteadyRate * options.SteadySeconds;
            var inFlight = 0;
            var notSent = 0;
            var sends = new ConcurrentBag<Task>();
            var clock = Stopwatch.StartNew();
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
            return new SteadyResult(server.Label, round, options.SteadyRate, options.SteadySeconds, notSent, load.Tally(), process.PeakRssMegabytes(), await sandbox.CallsAsync());
        }
    }

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
        await SeedGrantsAsync(ServerUnderLoad.AccessStorePath(run.Path), tokens, grants);
        await sandbox.ResetCallsAsync();

        var (process, root) = ServerUnderLoad.Start(server, sandbox, slack, run.Path);
        await using (process)
        {
            var clock = Stopwatch.StartNew();
            await process.WaitUntilReadyAsync(new Uri(root, "/readyz"), TimeSpan.FromSeconds(120));
            using var load = new CommandLoad(root, slack, 16, $"r{server.Label}.");
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

                revoked = await CountAsync(run.Path, "ended_at IS NOT NULL");
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
            revoked = await CountAsync(run.Path, "ended_at IS NOT NULL");
            var failed = await CountAsync(run.Path, "json_extract(data, '$.revokeAttempts') > 0");
            // Full calendar minutes between two boundary samples: the sandbox's own windows.
            var full = windows.Zip(windows.Skip(1), (a, b) => (b - a).Accepted).ToList();
            return new StormResult(server.Label, grants, revoked, minutes, revoked / minutes,
                full.Count == 0 ? null : full.Average(), full.Count, calls.Accepted / minutes, calls, failed, load.Tally());
        }
    }

    private static async Task SeedGrantsAsync(string path, string[] tokens, int grants)
    {
        var now = DateTimeOffset.UtcNow;
        using var store = new SqliteAccessStore(path);
        await store.MigrateAsync(CancellationToken.None);
        for (var i = 0; i < grants; i++)
        {
            var user = LoadCommand.User(i % 50);
            await store.InsertGrantAsync(new AccessGrant(
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
                now - TimeSpan.FromMinutes(1)), CancellationToken.None);
        }

        SqliteConnection.ClearAllPools();
    }

    private static async Task<int> CountAsync(string runPath, string where)
    {
        await using var connection = new SqliteConnection($"Data Source={ServerUnderLoad.AccessStorePath(runPath)};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM access_grants WHERE {where}";
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
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
