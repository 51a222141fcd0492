using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Bot.Slack.Interactions;
using PscaleBot.Bot.Tests.Slack.Fakes;
using PscaleBot.Bot.Work;
using PscaleBot.Commands.Audit;

namespace PscaleBot.Bot.Tests.Slack;

/// <summary>A full background queue: commands and clicks are refused at once, audited, and told when to retry.</summary>
public sealed class SlackBusyTests : IAsyncLifetime
{
    private FakeSlackServer slack = null!;

    public async Task InitializeAsync() => slack = await FakeSlackServer.StartAsync();

    public async Task DisposeAsync() => await slack.DisposeAsync();

    [Fact]
    public async Task A_full_queue_answers_busy_at_once_and_a_retry_later_still_runs()
    {
        await using var busyHost = BusyHost();
        using var busyClient = busyHost.CreateClient();
        var body = SlackRequestBodies.Command(slack, "service-token list", "busy.trigger");
        var response = await busyClient.SendAsync(SlackSigner.SignedPost("/slack/commands", body));

        var ack = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("ephemeral", (string?)ack["response_type"]);
        Assert.Contains("busy", ack.Raw());
        Assert.Empty(busyHost.Pipeline.Executed);

        // Nothing ran, so the same delivery must not be mistaken for a duplicate next time.
        var again = await busyClient.SendAsync(SlackSigner.SignedPost("/slack/commands", body));
        Assert.Contains("busy", await again.Content.ReadAsStringAsync());
        Assert.Equal(2, busyHost.Pipeline.Prepared.Count);
    }

    [Fact]
    public async Task A_command_refused_as_busy_leaves_an_audit_row_and_says_when_to_retry()
    {
        var audit = new InMemoryAuditLog();
        await using var busyHost = BusyHost(audit);
        using var busyClient = busyHost.CreateClient();
        var response = await busyClient.SendAsync(SlackSigner.SignedPost("/slack/commands", SlackRequestBodies.Command(slack, "service-token list", "busy.audit")));

        Assert.Contains("try again in about 20 seconds", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var row = Assert.Single(await audit.RecentAsync(10, CancellationToken.None));
        Assert.Equal("refused: busy", row.Outcome);
        Assert.Contains("list", row.Command, StringComparison.Ordinal);
        Assert.EndsWith("U0ALICE", row.UserId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_click_refused_as_busy_is_audited_and_the_clicker_is_told_when_to_retry()
    {
        var audit = new InMemoryAuditLog();
        await using var busyHost = BusyHost(audit);
        using var busyClient = busyHost.CreateClient();
        var response = await busyClient.SendAsync(SlackSigner.SignedPost("/slack/interactions", SlackRequestBodies.Approve(slack, "req_43", "1700000000.000200", "1700000002.1", "busy-click")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Posted before the acknowledgement: the queue that would carry it is the one that is full.
        var (_, notice) = Assert.Single(slack.ResponseUrlPosts, p => p.Id == "busy-click");
        Assert.Equal("ephemeral", (string?)notice["response_type"]);
        Assert.Contains("try again in about 20 seconds", notice.Raw(), StringComparison.Ordinal);
        Assert.NotEqual(true, (bool?)notice["replace_original"]);
        var row = Assert.Single(await audit.RecentAsync(10, CancellationToken.None));
        Assert.Equal("refused: busy", row.Outcome);
        Assert.Empty(busyHost.Services.GetRequiredService<ActionLog>().Actions);
    }

    // A host whose background queue is always full, with the recording Approve handler and, if given, this audit log.
    private SlackTestHost BusyHost(IAuditLog? audit = null) => new(slack, configure: s =>
    {
        s.AddSingleton<IBackgroundWorkQueue>(new FullQueue());
        s.AddSingleton<ActionLog>().AddSlackBlockActionHandler<RecordingActionHandler>();
        if (audit is not null)
        {
            s.AddSingleton(audit);
        }
    });

    private sealed class FullQueue : IBackgroundWorkQueue
    {
        public bool TryEnqueue(BackgroundWorkItem item) => false;

        public TimeSpan RetryAfter(string? owner) => TimeSpan.FromSeconds(20);
    }
}

/// <summary>Slack request bodies (form-encoded, to be signed) the HTTP endpoint tests send.</summary>
internal static class SlackRequestBodies
{
    private static int triggers;

    /// <summary>Alice's slash command (in #ops unless said), answered on response_url <paramref name="responseId"/>.</summary>
    public static string Command(
        FakeSlackServer slack, string text, string? triggerId = null, string channelId = "C0OPS", string channelName = "ops", string responseId = "r1") =>
        SlackSigner.Form(
            ("token", "deprecated"), ("team_id", "T0TEAM"), ("team_domain", "acme"), ("channel_id", channelId), ("channel_name", channelName),
            ("user_id", "U0ALICE"), ("user_name", "alice"), ("command", "/pscale"), ("text", text),
            ("api_app_id", "A0APP"), ("is_enterprise_install", "false"), ("response_url", slack.ResponseUrl(responseId)),
            ("trigger_id", triggerId ?? $"trigger.{Interlocked.Increment(ref triggers)}"));

    /// <summary>Bob clicks Approve on request <paramref name="requestId"/>'s message in #approvers.</summary>
    public static string Approve(FakeSlackServer slack, string requestId, string messageTs, string actionTs, string responseId) =>
        SlackSigner.Form(("payload", new JsonObject
        {
            ["type"] = "block_actions",
            ["team"] = new JsonObject { ["id"] = "T0TEAM" },
            ["user"] = new JsonObject { ["id"] = "U0BOB", ["username"] = "bob", ["team_id"] = "T0TEAM" },
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = messageTs, ["channel_id"] = "C0APPROVERS", ["is_ephemeral"] = false },
            ["channel"] = new JsonObject { ["id"] = "C0APPROVERS", ["name"] = "approvers" },
            ["response_url"] = slack.ResponseUrl(responseId),
            ["trigger_id"] = "t." + responseId,
            ["actions"] = new JsonArray(new JsonObject
            {
                ["type"] = "button", ["action_id"] = "access_approve:" + requestId, ["block_id"] = "approval_actions", ["value"] = requestId, ["action_ts"] = actionTs,
            }),
        }.ToJsonString()));
}
