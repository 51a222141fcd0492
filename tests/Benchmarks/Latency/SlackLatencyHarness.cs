using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using PscaleBot.EndToEnd.Tests.Support;
using PscaleBot.Sandbox;
using PscaleBot.Sandbox.State;

namespace PscaleBot.Benchmarks.Latency;

/// <summary>What one latency run does.</summary>
/// <param name="Commands">Measured commands (after the warm-up ones), at most <see cref="SlackLatencyHarness.MaxCommands"/>.</param>
/// <param name="Concurrency">Commands in flight at once.</param>
/// <param name="SandboxLatency">Latency the sandbox adds to every PlanetScale API call.</param>
/// <param name="WaitForResponseUrl">Also wait for each command's answer on its response_url.</param>
/// <param name="Deadline">Longest the measured part may take; what has not finished by then counts as timed out.</param>
/// <param name="DumpLogs">Log everything (HTTP clients included) and print the last records, to see where time goes.</param>
/// <param name="ClosedLoop">
/// Each sender waits for its command's answer before sending the next (time per command without a queue in front);
/// otherwise it sends the next as soon as the acknowledgement arrives, as independent people would.
/// </param>
public sealed record LatencyRun(int Commands, int Concurrency, TimeSpan SandboxLatency, bool WaitForResponseUrl, TimeSpan Deadline, bool DumpLogs = false, bool ClosedLoop = false);

/// <summary>
/// End-to-end latency of the real bot: <c>Program</c> on Kestrel (through the end-to-end tests' <see cref="BotUnderTest"/>)
/// with Slack enabled in HTTP mode, a real <see cref="SandboxServer"/> behind it, and a loopback Slack
/// (<see cref="LoopbackSlack"/>) for user groups and response_urls. Signed slash commands go over loopback sockets.
/// Everything is bounded: the number of commands, the concurrency and the wall-clock time.
/// </summary>
public static class SlackLatencyHarness
{
    /// <summary>Most commands one run may send.</summary>
    public const int MaxCommands = 2000;

    /// <summary>Most commands in flight at once.</summary>
    public const int MaxConcurrency = 64;

    private const int WarmupCommands = 8;
    private const string SigningSecret = "bench-signing-secret-0123456789abcdef";
    private const string TeamId = "T0BENCH";
    private const string ChannelId = "C0BENCH";
    private const string UserId = "U0BENCH";
    private const string GroupId = "S0BENCHVIEWERS";

    private static readonly string Policy = $$"""
        roles:
          viewer:
            commands: [list, show, show-access]
        bindings:
          - where: slack:channel:{{ChannelId}}
            who: slack:usergroup:{{GroupId}}
            roles: [viewer]
        """;

    /// <summary>Runs <paramref name="run"/> and writes the results as markdown to <paramref name="output"/>.</summary>
    public static async Task<int> RunAsync(LatencyRun run, TextWriter output)
    {
        if (run.Commands is < 1 or > MaxCommands || run.Concurrency is < 1 or > MaxConcurrency)
        {
            await output.WriteLineAsync($"--count must be 1..{MaxCommands} and --concurrency 1..{MaxConcurrency}.");
            return 2;
        }

        await using var slack = await LoopbackSlack.StartAsync((GroupId, UserId));
        var sandbox = new SandboxOptions { Faults = { LatencyMs = (int)run.SandboxLatency.TotalMilliseconds } };
        var settings = new Dictionary<string, string?>
        {
            ["Slack:Enabled"] = "true",
            ["Slack:Mode"] = "Http",
            ["Slack:SigningSecret"] = SigningSecret,
            ["Slack:BotToken"] = "xoxb-bench-bot-token",
            ["Slack:ApiBaseUrl"] = slack.ApiBase.ToString(),
            ["Slack:ResponseUrlHosts:0"] = "127.0.0.1",
        };
        if (run.DumpLogs)
        {
            settings["Logging:LogLevel:Default"] = "Trace";
            settings["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace";
        }

        // Logging otherwise stays at the bot's own appsettings.json levels, so the bot does the logging work it does in production.
        await using var bot = await BotUnderTest.StartAsync(new BotSetup
        {
            PolicyYaml = Policy,
            Sandbox = sandbox,
            Settings = settings,
        });

        // Our own socket handler, so every command crosses a real loopback connection like Slack's would.
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = run.Concurrency, UseProxy = false })
        {
            BaseAddress = bot.BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var signer = new SlackCommandSigner(SigningSecret, TimeProvider.System);
        var text = $"service-token show-access {SandboxSeed.CiDeployTokenId}";

        var cold = await SendAsync(client, signer, slack, text, "cold");
        for (var i = 0; i < WarmupCommands; i++)
        {
            await SendAsync(client, signer, slack, text, $"warm{i}");
        }

        if (run.WaitForResponseUrl)
        {
            // The first executions pay for JIT, the audit database's creation and the first connections; measure after them.
            using var warmup = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (!warmup.IsCancellationRequested && Enumerable.Range(0, WarmupCommands).Any(i => slack.FirstPostAt($"warm{i}") is null))
            {
                await Task.Delay(20);
            }
        }

        var acks = new ConcurrentBag<double>();
        var answers = new ConcurrentBag<double>();
        var failures = new ConcurrentBag<string>();
        var sent = new ConcurrentDictionary<string, long>();
        var next = -1;
        var deadline = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(run.Deadline);

        async Task WorkerAsync()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < run.Commands && !stop.IsCancellationRequested)
            {
                var id = $"c{index}";
                var outcome = await SendAsync(client, signer, slack, text, id);
                if (outcome.Failure is not null)
                {
                    failures.Add(outcome.Failure);
                    continue;
                }

                // Only acknowledged commands owe an answer; a refused one is already counted as a failure.
                sent[id] = outcome.SentAt;

                acks.Add(outcome.AckMilliseconds);
                while (run.ClosedLoop && !stop.IsCancellationRequested && slack.FirstPostAt(id) is null)
                {
                    await Task.Delay(1);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, run.Concurrency).Select(_ => Task.Run(WorkerAsync)));
        var sendingTook = deadline.Elapsed;

        if (run.WaitForResponseUrl)
        {
            // Poll (bounded by the deadline) until every acknowledged command has its answer.
            while (!stop.IsCancellationRequested && sent.Keys.Any(id => slack.FirstPostAt(id) is null))
            {
                await Task.Delay(20);
            }

            foreach (var (id, sentAt) in sent)
            {
                if (slack.FirstPostAt(id) is { } at)
                {
                    answers.Add(Stopwatch.GetElapsedTime(sentAt, at).TotalMilliseconds);
                }
                else
                {
                    failures.Add("no response_url post before the deadline");
                }
            }
        }

        double? coldAnswer = null;
        if (!run.WaitForResponseUrl)
        {
            // Proof that the acknowledgements above did not wait for PlanetScale: the cold command's answer comes only
            // after the sandbox's injected latency.
            while (!stop.IsCancellationRequested && slack.FirstPostAt("cold") is null)
            {
                await Task.Delay(20);
            }

            coldAnswer = slack.FirstPostAt("cold") is { } at ? Stopwatch.GetElapsedTime(cold.SentAt, at).TotalMilliseconds : null;
        }

        if (run.DumpLogs)
        {
            foreach (var r in bot.Logs.GetSnapshot().TakeLast(80))
            {
                await output.WriteLineAsync($"{r.Timestamp:HH:mm:ss.fff} {r.Level} {r.Category} {r.Message}");
            }
        }

        await WriteReportAsync(output, run, cold, coldAnswer, LatencySummary.Of(acks), run.WaitForResponseUrl ? LatencySummary.Of(answers) : null, failures, sendingTook, slack.Posts);
        return failures.IsEmpty ? 0 : 1;
    }

    private static async Task<(long SentAt, double AckMilliseconds, string? Failure)> SendAsync(
        HttpClient client, SlackCommandSigner signer, LoopbackSlack slack, string text, string id)
    {
        using var request = signer.SlashCommand(TeamId, ChannelId, UserId, text, slack.ResponseUrl(id), $"trigger.{id}.{Guid.NewGuid():N}");
        var sentAt = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var ack = Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (sentAt, ack, $"HTTP {(int)response.StatusCode}");
            }

            // A read that was queued acknowledges empty; anything else (busy, error, denial) is not the path measured.
            return body.Length == 0 ? (sentAt, ack, null) : (sentAt, ack, "non-empty acknowledgement: " + body[..Math.Min(body.Length, 120)]);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return (sentAt, Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds, ex.GetType().Name);
        }
    }

    private static async Task WriteReportAsync(
        TextWriter output, LatencyRun run, (long SentAt, double AckMilliseconds, string? Failure) cold, double? coldAnswer,
        LatencySummary acks, LatencySummary? answers, IEnumerable<string> failures, TimeSpan sendingTook, int posts)
    {
        var inv = CultureInfo.InvariantCulture;
        await output.WriteLineAsync(string.Create(inv,
            $"Slack slash commands: {run.Commands} measured (after 1 cold + {WarmupCommands} warm-up), concurrency {run.Concurrency}{(run.ClosedLoop ? " closed-loop" : "")}, " +
            $"sandbox latency {run.SandboxLatency.TotalMilliseconds:0} ms, {Environment.ProcessorCount} cores, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC"));
        var coldFailure = cold.Failure is null ? "" : $" ({cold.Failure})";
        var coldAnswered = coldAnswer is { } answer
            ? string.Create(inv, $"; the cold command's answer reached its response_url after {answer:0} ms.")
            : ".";
        await output.WriteLineAsync(string.Create(inv,
            $"First (cold) command acknowledged in {cold.AckMilliseconds:0.0} ms{coldFailure}; sending took {sendingTook.TotalMilliseconds:0} ms; {posts} response_url posts seen{coldAnswered}"));
        await output.WriteLineAsync();
        await output.WriteLineAsync("| measure (ms) | n | p50 | p95 | p99 | max | mean |");
        await output.WriteLineAsync("|---|---:|---:|---:|---:|---:|---:|");
        await output.WriteLineAsync(acks.ToMarkdownRow("acknowledgement (HTTP 200 received)"));
        if (answers is not null)
        {
            await output.WriteLineAsync(answers.ToMarkdownRow("answer posted to response_url"));
        }

        var grouped = failures.GroupBy(f => f).Select(g => $"{g.Count()} × {g.Key}").ToList();
        await output.WriteLineAsync();
        await output.WriteLineAsync(grouped.Count == 0 ? "Failures: none." : "Failures: " + string.Join("; ", grouped));
    }
}
