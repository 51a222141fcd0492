using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Bot.Slack.Identity;
using PscaleBot.Bot.Tests.Slack.Fakes;

namespace PscaleBot.Bot.Tests.Slack;

/// <summary>
/// Issue 11, start-up: the workspace's user groups are read before the bot reports ready, so neither a slow Slack at
/// start nor a burst of first commands makes the group lookup miss its budget and deny group members.
/// </summary>
public sealed class SlackUserGroupPreloadTests : IAsyncLifetime
{
    private const int Members = 20;
    private FakeSlackServer slack = null!;
    private SlackTestHost? host;
    private int triggers;

    public async Task InitializeAsync() => slack = await FakeSlackServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }

        await slack.DisposeAsync();
    }

    [Fact]
    public async Task A_burst_of_first_commands_from_group_members_after_a_slow_start_makes_one_group_call_and_all_get_their_group()
    {
        var users = Enumerable.Range(0, Members).Select(i => $"U0M{i:00}").ToList();
        slack.UsergroupsJson = $$"""{"ok":true,"usergroups":[{"id":"S0ONCALL","users":[{{string.Join(',', users.Select(u => $"\"{u}\""))}}],"date_delete":0}]}""";
        // Slower than the commands' 1.5 s budget: read on demand, every first command would lose its group.
        slack.UsergroupsDelay = TimeSpan.FromSeconds(2);
        using var client = Start();

        var acks = await Task.WhenAll(users.Select(u => client.SendAsync(SlackSigner.SignedPost("/slack/commands", CommandBody(u, "service-token list")))));

        Assert.All(acks, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(Members, host!.Pipeline.Prepared.Count);
        Assert.All(host.Pipeline.Prepared, r => Assert.Equal(["slack:usergroup:S0ONCALL"], r.Caller.GroupIds));
        var call = Assert.Single(slack.Calls("usergroups.list"));
        Assert.Contains("team_id=T0TEAM", call.Body);
    }

    [Fact]
    public async Task The_bot_is_ready_only_once_the_groups_are_read()
    {
        slack.UsergroupsJson = """{"ok":true,"usergroups":[{"id":"S0ONCALL","users":["U0ALICE"],"date_delete":0}]}""";
        slack.UsergroupsDelay = TimeSpan.FromMilliseconds(500);
        using var client = Start();

        var ready = await client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Single(slack.Calls("usergroups.list"));
        var membership = host!.Services.GetRequiredService<ISlackUserGroupDirectory>().LastKnown("T0TEAM", "U0ALICE");
        Assert.Equal(["S0ONCALL"], membership?.Groups);
    }

    [Fact]
    public async Task A_denial_while_the_groups_could_not_be_read_says_so()
    {
        slack.Script("usergroups.list", new ScriptedReply(200, """{"ok":false,"error":"internal_error"}"""));
        using var client = Start();

        var ack = await client.SendAsync(SlackSigner.SignedPost("/slack/commands", CommandBody("U0ALICE", "denied")));

        var body = await ack.Content.ReadAsStringAsync();
        Assert.Contains("Slack user groups could not be read", body);
        Assert.Contains("You may not run show-access here.", body);
        Assert.Empty(host!.Pipeline.Prepared.Single().Caller.GroupIds);
    }

    [Fact]
    public async Task A_denial_with_the_groups_read_does_not_blame_them()
    {
        slack.UsergroupsJson = """{"ok":true,"usergroups":[]}""";
        using var client = Start();

        var ack = await client.SendAsync(SlackSigner.SignedPost("/slack/commands", CommandBody("U0ALICE", "denied")));

        var body = await ack.Content.ReadAsStringAsync();
        Assert.Contains("You may not run show-access here.", body);
        Assert.DoesNotContain("could not be read", body);
    }

    private HttpClient Start()
    {
        host = new SlackTestHost(slack, new Dictionary<string, string?> { ["Slack:PreloadUserGroups"] = "true" });
        return host.CreateClient();
    }

    private string CommandBody(string user, string text) =>
        SlackSigner.Form(
            ("token", "deprecated"), ("team_id", "T0TEAM"), ("team_domain", "acme"), ("channel_id", "C0OPS"), ("channel_name", "ops"),
            ("user_id", user), ("user_name", user.ToLowerInvariant()), ("command", "/pscale"), ("text", text),
            ("api_app_id", "A0APP"), ("is_enterprise_install", "false"), ("response_url", slack.ResponseUrl("r1")),
            ("trigger_id", $"trigger.{Interlocked.Increment(ref triggers)}"));
}
