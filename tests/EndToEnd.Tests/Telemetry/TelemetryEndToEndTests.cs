using System.Net;
using System.Text.Json.Nodes;
using PscaleBot.Bot.Tests.Slack.Fakes;
using PscaleBot.Bot.Tests.Teams.Support;
using PscaleBot.Sandbox.State;
using static PscaleBot.EndToEnd.Tests.Slack.SlackPeople;

namespace PscaleBot.EndToEnd.Tests.Telemetry;

/// <summary>
/// A full session (Slack create, list, an access request approved by a click, a Teams command) with traces, metrics
/// and logs exported in memory and from <c>/metrics</c>: nothing exported holds a secret, and the signals are there.
/// </summary>
/// <remarks>
/// Not in parallel with other classes: trace and meter listeners are process-wide, so other tests' bots would add
/// their own spans and series (and their secrets) to what this session's exporters receive.
/// </remarks>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryEndToEndTests
{
    [Fact]
    public async Task A_full_session_exports_traces_metrics_and_logs_and_no_secret_anywhere()
    {
        await using var session = await TelemetrySession.StartAsync();

        // Slack: create (the secret goes to the requester only), list, an access request and its approval.
        var created = await session.PostsAsync(await session.SlashAsync(Alice, Ops, "service-token create --name telemetry-e2e"), 2);
        var tokenSecret = TelemetrySession.SecretShape().Match(string.Join('\n', created.Select(p => p.ToJsonString()))).Value;
        Assert.StartsWith("pscale_tkn_", tokenSecret);
        await session.PostsAsync(await session.SlashAsync(Alice, Ops, "service-token list"));
        var filed = await session.PostsAsync(await session.SlashAsync(
            Alice, OnCall, $"service-token add-access {SandboxSeed.AnalyticsTokenId} read_branch --database prod --for 2h --reason \"INC-9 replica lag\""));
        Assert.Contains("filed", filed[0].ToJsonString());
        await Eventually.TrueAsync(() => session.Slack.PostedMessages.Any(m => m.Channel == Admins), "the request posted to the approvers", 30);
        var post = session.Slack.PostedMessages.Single(m => m.Channel == Admins);
        var requestId = (string)post.Body["blocks"]!.AsArray().OfType<JsonObject>().Single(b => (string?)b["type"] == "actions")["elements"]![0]!["value"]!;
        await session.PostsAsync(await session.ApproveAsync(Boss, Admins, post.Ts, requestId));
        await Eventually.TrueAsync(() => session.Slack.Calls("chat.update").Any(), "the request message settled", 30);

        // Teams: one command in a channel.
        var teams = await session.TeamsAsync("service-token list");
        Assert.NotNull(teams.Card);

        using var scrape = await session.Client.GetAsync("/metrics");
        var prometheus = await scrape.Content.ReadAsStringAsync();
        session.Flush();
        var texts = session.Exported.Texts();

        // The signals are really there (so the scan below reads something).
        var spans = session.Exported.Spans.Snapshot();
        Assert.Contains(spans, s => s.DisplayName == "pscalebot.parse");
        Assert.Contains(spans, s => s.DisplayName == "pscalebot.policy" && (string?)s.GetTagItem("pscalebot.decision") == "needs-approval");
        Assert.Contains(spans, s => s.DisplayName == "pscalebot.execute" && (string?)s.GetTagItem("pscalebot.command") == "create");
        Assert.Contains(spans, s => s.DisplayName == "pscalebot.reply");
        // The PlanetScale calls are children of the command's answer, itself a child of the inbound Slack request.
        var execute = spans.First(s => s.DisplayName == "pscalebot.execute" && (string?)s.GetTagItem("pscalebot.command") == "create");
        Assert.Contains(spans, s => s.Kind == System.Diagnostics.ActivityKind.Client && s.TraceId == execute.TraceId
            && s.GetTagItem("server.port")?.ToString() == session.Bot.Sandbox.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains(spans, s => s.Kind == System.Diagnostics.ActivityKind.Server && s.TraceId == execute.TraceId && (string?)s.GetTagItem("http.route") == "/slack/commands");
        Assert.Contains(texts, t => t.Where == "metric pscalebot.commands" && t.Text == "pscalebot.command=create");
        Assert.Contains(texts, t => t.Where == "metric pscalebot.commands" && t.Text == "pscalebot.platform=teams");
        Assert.Contains(texts, t => t.Where == "metric pscalebot.ack.duration");
        Assert.Contains(texts, t => t.Where == "metric pscalebot.answer.duration");
        Assert.Contains(texts, t => t.Where.StartsWith("log ", StringComparison.Ordinal));
        Assert.Contains("pscalebot_commands", prometheus, StringComparison.Ordinal);

        string[] secrets =
        [
            tokenSecret,
            session.Bot.Sandbox.ServiceToken,
            SlackSigner.Secret,
            TelemetrySession.SlackBotToken,
            TelemetrySession.TeamsAppPassword,
            FakeTokenSource.Token,
        ];
        foreach (var secret in secrets)
        {
            Assert.False(string.IsNullOrEmpty(secret));
            var leaks = texts.Where(t => t.Text.Contains(secret, StringComparison.Ordinal)).Select(t => t.Where).Distinct().ToList();
            Assert.True(leaks.Count == 0, $"a secret ({secret[..Math.Min(6, secret.Length)]}…) was exported in: {string.Join(", ", leaks)}");
            Assert.DoesNotContain(secret, prometheus, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(texts, t => t.Text.Contains("pscale_tkn_", StringComparison.Ordinal));
        // No user-typed free text either: the request's reason never becomes a tag or a label.
        Assert.DoesNotContain(texts, t => !t.Where.StartsWith("log ", StringComparison.Ordinal) && t.Text.Contains("INC-9", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_answers_200_with_pscalebot_series_after_a_command()
    {
        await using var session = await TelemetrySession.StartAsync();
        await session.PostsAsync(await session.SlashAsync(Alice, Ops, "service-token list"));

        using var response = await session.Client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("pscalebot_commands_total{", body, StringComparison.Ordinal);
        Assert.Contains("pscalebot_command=\"list\"", body, StringComparison.Ordinal);
        Assert.Contains("pscalebot_ack_duration_seconds_bucket{", body, StringComparison.Ordinal);
        // Buckets in seconds, with Slack's 3 s deadline among them: the exporter's default ones (0, 5, 10 …) would put
        // every acknowledgement and nearly every answer in the first bucket.
        Assert.Matches("pscalebot_ack_duration_seconds_bucket\\{[^}]*le=\"0\\.05\"", body);
        Assert.Matches("pscalebot_ack_duration_seconds_bucket\\{[^}]*le=\"3\"", body);
        Assert.Matches("pscalebot_answer_duration_seconds_bucket\\{[^}]*le=\"0\\.2\"", body);
        Assert.Matches("pscalebot_answer_duration_seconds_bucket\\{[^}]*le=\"1800\"", body);
    }
}

/// <summary>Runs the telemetry tests alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry (alone)";
}
