using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PscaleBot.Bot.Slack.Interactions;
using PscaleBot.Bot.Tests.Slack.Fakes;
using PscaleBot.Commands.Audit;

namespace PscaleBot.Bot.Tests.Slack;

/// <summary>Issue 9, finding 13: only the served workspace reaches the bot; everyone else is refused and audited.</summary>
public sealed class SlackWorkspaceAllowListTests : IAsyncLifetime
{
    private FakeSlackServer slack = null!;
    private int triggers;

    public async Task InitializeAsync() => slack = await FakeSlackServer.StartAsync();

    public async Task DisposeAsync() => await slack.DisposeAsync();

    private SlackTestHost Host(Dictionary<string, string?>? overrides = null) =>
        new(slack, overrides, s =>
        {
            s.RemoveAll<IAuditLog>();
            s.AddSingleton<IAuditLog>(new InMemoryAuditLog());
            s.AddSingleton<ActionLog>().AddSlackBlockActionHandler<RecordingActionHandler>();
        });

    private string CommandBody(string teamId, string text = "service-token list", string? enterpriseId = null) =>
        SlackSigner.Form(
            ("token", "deprecated"), ("team_id", teamId), ("team_domain", "other"), ("enterprise_id", enterpriseId ?? ""), ("channel_id", "C0SHARED"),
            ("channel_name", "shared"), ("user_id", "U0MALLORY"), ("user_name", "mallory"), ("command", "/pscale"), ("text", text),
            ("api_app_id", "A0APP"), ("is_enterprise_install", "false"), ("response_url", slack.ResponseUrl("r1")),
            ("trigger_id", $"trigger.{Interlocked.Increment(ref triggers)}"));

    private static async Task<IReadOnlyList<AuditEntry>> AuditAsync(SlackTestHost host) =>
        await host.Services.GetRequiredService<IAuditLog>().RecentAsync(50, CancellationToken.None);

    [Fact]
    public async Task A_command_from_another_workspace_is_refused_before_anything_runs_and_audited()
    {
        await using var host = Host();
        using var client = host.CreateClient();

        var response = await client.SendAsync(SlackSigner.SignedPost("/slack/commands", CommandBody("T0OTHERCO")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ack = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("ephemeral", (string?)ack["response_type"]);
        Assert.Contains("serves the Slack workspace T0TEAM only", (string?)ack["text"]);
        Assert.Contains("T0OTHERCO", (string?)ack["text"]);
        Assert.Empty(host.Pipeline.Prepared);
        Assert.Empty(slack.Calls("usergroups.list"));
        Assert.Equal("Bearer xoxb-test-bot-token", Assert.Single(slack.Calls("auth.test")).Authorization);

        var row = Assert.Single(await AuditAsync(host));
        Assert.Equal("denied", row.Decision);
        Assert.Equal("slack:user:U0MALLORY", row.UserId);
        Assert.Equal("slack:channel:C0SHARED", row.Place);
        Assert.Contains("T0OTHERCO", row.Reason);
        Assert.Equal("service-token list", row.Command);
    }

    [Fact]
    public async Task The_bot_tokens_own_workspace_still_works_and_auth_test_is_asked_once()
    {
        await using var host = Host();
        using var client = host.CreateClient();

        await client.SendAsync(SlackSigner.SignedPost("/slack/commands", CommandBody("T0TEAM")));
        await client.SendAsync(SlackSigner.SignedPost("/slack/commands", CommandBody("T0TEAM")));

        Assert.Equal(2, host.Pipeline.Prepared.Count);
        Assert.Single(slack.Calls("auth.test"));
    }

    [Fact]
    public async Task Configured_workspaces_and_grid_organizations_replace_the_default()
    {
        await using var host = Host(new() { ["Slack:AllowedTeamIds:0"] = "T0PARTNER", ["Slack:AllowedEnterpriseIds:0"] = "E0GRID" });
        using var client = host.CreateClient();

        var own = await client.SendAsync(SlackSigner.SignedPost("/slack/commands", CommandBody("T0TEAM")));
        await client.SendAsync(SlackSigner.SignedPost("/slack/commands", CommandBody("T0PARTNER")));
        await client.SendAsync(SlackSigner.SignedPost("/slack/commands", CommandBody("T0GRIDWS", enterpriseId: "E0GRID")));

        Assert.Contains("serves the Slack workspace E0GRID, T0PARTNER only", await own.Content.ReadAsStringAsync());
        Assert.Equal(["slack:team:T0PARTNER", "slack:team:T0GRIDWS"], host.Pipeline.Prepared.Select(r => r.Caller.TenantId));
        Assert.Empty(slack.Calls("auth.test"));
    }

    [Fact]
    public async Task When_the_served_workspace_cannot_be_found_out_every_workspace_is_refused()
    {
        slack.Script("auth.test", new ScriptedReply(200, """{"ok":false,"error":"invalid_auth"}"""));
        await using var host = Host();
        using var client = host.CreateClient();

        var response = await client.SendAsync(SlackSigner.SignedPost("/slack/commands", CommandBody("T0TEAM")));
        var again = await client.SendAsync(SlackSigner.SignedPost("/slack/commands", CommandBody("T0TEAM")));

        Assert.Contains("cannot tell which Slack workspace it serves", await response.Content.ReadAsStringAsync());
        Assert.Contains("Slack:AllowedTeamIds", await again.Content.ReadAsStringAsync());
        Assert.Empty(host.Pipeline.Prepared);
        Assert.Single(slack.Calls("auth.test"));
        Assert.All(await AuditAsync(host), row => Assert.Equal("denied", row.Decision));
    }

    [Fact]
    public async Task A_button_click_from_another_workspace_runs_nothing_and_the_clicker_is_told()
    {
        await using var host = Host();
        using var client = host.CreateClient();
        var payload = new JsonObject
        {
            ["type"] = "block_actions",
            ["team"] = new JsonObject { ["id"] = "T0TEAM" },
            ["user"] = new JsonObject { ["id"] = "U0MALLORY", ["username"] = "mallory", ["team_id"] = "T0OTHERCO" },
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = "1700000000.000100", ["channel_id"] = "C0APPROVERS", ["is_ephemeral"] = false },
            ["channel"] = new JsonObject { ["id"] = "C0APPROVERS", ["name"] = "approvers" },
            ["response_url"] = slack.ResponseUrl("a1"),
            ["trigger_id"] = "t.1",
            ["actions"] = new JsonArray(new JsonObject
            {
                ["type"] = "button", ["action_id"] = "access_approve:req_42", ["block_id"] = "approval_actions", ["value"] = "req_42", ["action_ts"] = "1700000001.1",
            }),
        };

        var response = await client.SendAsync(SlackSigner.SignedPost("/slack/interactions", SlackSigner.Form(("payload", payload.ToJsonString()))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually.TrueAsync(() => !slack.ResponseUrlPosts.IsEmpty, "the refusal posted to the clicker");
        Assert.Contains("T0OTHERCO", slack.ResponseUrlPosts.Single().Body.Raw());
        Assert.Equal("ephemeral", (string?)slack.ResponseUrlPosts.Single().Body["response_type"]);
        Assert.Empty(host.Services.GetRequiredService<ActionLog>().Actions);
        var row = Assert.Single(await AuditAsync(host));
        Assert.Equal("denied", row.Decision);
        Assert.Equal("button access_approve:req_42", row.Command);
    }
}
