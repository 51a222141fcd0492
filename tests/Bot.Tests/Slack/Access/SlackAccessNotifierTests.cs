using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Bot.Slack.Access;
using PscaleBot.Bot.Slack.Rendering;
using PscaleBot.Bot.Tests.Slack.Fakes;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Model;
using static PscaleBot.Bot.Tests.Slack.Access.AccessSamples;

namespace PscaleBot.Bot.Tests.Slack.Access;

public sealed class SlackAccessNotifierTests : IAsyncLifetime
{
    private readonly string storePath = Path.Combine(Directory.CreateTempSubdirectory("slack-access-").FullName, "access.db");
    private FakeSlackServer slack = null!;
    private SlackTestHost host = null!;

    public async Task InitializeAsync()
    {
        slack = await FakeSlackServer.StartAsync();
        host = new SlackTestHost(slack, new() { ["AccessRequests:StorePath"] = storePath });
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await slack.DisposeAsync();
    }

    private async Task NotifyAsync(AccessNotification notification)
    {
        using var scope = host.Services.CreateScope();
        var notifier = scope.ServiceProvider.GetServices<IAccessNotifier>().OfType<SlackAccessNotifier>().Single();
        await notifier.NotifyAsync(notification, CancellationToken.None);
    }

    private static AccessAudience Admins => AccessAudience.Channel(ChatPlatform.Slack, "slack:channel:C0ADMINS");

    private Task PostRequestAsync(AccessRequest request) =>
        NotifyAsync(new AccessRequestPosted(Admins, "alice asks for read_branch", request, Buttons(request.Id)));

    [Fact]
    public async Task A_request_is_posted_to_the_approvers_channel_with_its_facts_and_approve_deny_buttons()
    {
        await PostRequestAsync(Request());

        var post = Assert.Single(slack.JsonCalls("chat.postMessage"));
        Assert.Equal("C0ADMINS", (string?)post["channel"]);
        var text = post.Raw();
        foreach (var fact in new[] { "<@U0ALICE>", "`an4lyt1csro0`", "`prod`", "`read_branch`", "`connect_production_branch`", "2h", "INC-7 replica lag", "Access request r-7kq2" })
        {
            Assert.Contains(fact, text);
        }

        var actions = post["blocks"]!.AsArray().OfType<JsonObject>().Single(b => (string?)b["type"] == "actions");
        var buttons = actions["elements"]!.AsArray().OfType<JsonObject>().ToList();
        Assert.Equal([AccessActionIds.Approve, AccessActionIds.Deny], buttons.Select(b => (string?)b["action_id"]));
        Assert.All(buttons, b => Assert.Equal("r-7kq2", (string?)b["value"]));
        Assert.Equal(["primary", "danger"], buttons.Select(b => (string?)b["style"]));
        Assert.Empty(SlackMessageLimits.Violations(new SlackMessage((string)post["text"]!, SlackWireJson.Blocks(post["blocks"]!))));

        var stored = await new SqliteSlackAccessPostStore(storePath, TimeProvider.System).FindAsync("r-7kq2", CancellationToken.None);
        Assert.Equal(new SlackAccessPost("r-7kq2", "C0ADMINS", slack.PostedMessages.Single().Ts), stored);
    }

    [Fact]
    public async Task Settling_replaces_the_buttons_of_the_same_message_with_the_outcome()
    {
        var request = Request();
        await PostRequestAsync(request);
        var approved = request with
        {
            Approvals = [new AccessApproval("slack:user:U0BOSS", "boss", Now), new AccessApproval("slack:user:U0BOSS2", "boss2", Now)],
            State = AccessRequestState.Approved,
            DecidedBy = "slack:user:U0BOSS2",
            DecidedAt = Now.AddMinutes(3),
            GrantId = "g-9mzt",
        };

        await NotifyAsync(new AccessRequestSettled(Admins, "Approved by boss, boss2 at 2026-11-28 12:03 UTC.", approved));

        var update = Assert.Single(slack.JsonCalls("chat.update"));
        Assert.Equal("C0ADMINS", (string?)update["channel"]);
        Assert.Equal(slack.PostedMessages.Single().Ts, (string?)update["ts"]);
        Assert.DoesNotContain(update["blocks"]!.AsArray(), b => (string?)b!["type"] == "actions");
        Assert.Contains("*Approved* by <@U0BOSS>, <@U0BOSS2> at <!date^", update.Raw());
        Assert.Contains("`g-9mzt`", update.Raw());
        Assert.Single(slack.Calls("chat.postMessage"));
    }

    [Fact]
    public async Task A_denial_names_the_denier_and_the_reason()
    {
        var request = Request();
        await PostRequestAsync(request);

        await NotifyAsync(new AccessRequestSettled(Admins, "Denied.", request.MoveTo(AccessRequestState.Denied, "slack:user:U0BOSS", Now, "not during the freeze")));

        var update = Assert.Single(slack.JsonCalls("chat.update")).Raw();
        Assert.Contains("*Denied* by <@U0BOSS>", update);
        Assert.Contains("not during the freeze", update);
    }

    [Fact]
    public async Task Progress_updates_the_message_and_keeps_the_buttons()
    {
        var request = Request();
        await PostRequestAsync(request);

        await NotifyAsync(new AccessRequestProgress(Admins, "boss approved r-7kq2; 1 more approval(s) needed from someone else.",
            request with { Approvals = [new AccessApproval("slack:user:U0BOSS", "boss", Now)], Version = 1 }));

        var update = Assert.Single(slack.JsonCalls("chat.update"));
        var actions = update["blocks"]!.AsArray().OfType<JsonObject>().Single(b => (string?)b["type"] == "actions");
        Assert.Equal("access:r-7kq2:v1", (string?)actions["block_id"]);
        Assert.Contains("1 of 2 approvals: boss", update.Raw());
        Assert.Contains("1 more approval(s) needed", update.Raw());
    }

    [Fact]
    public async Task An_outcome_without_a_posted_message_is_posted_anew()
    {
        await NotifyAsync(new AccessRequestSettled(Admins, "Expired unanswered.", Request().MoveTo(AccessRequestState.Expired, AccessActors.System, Now)));

        Assert.Empty(slack.Calls("chat.update"));
        var post = Assert.Single(slack.JsonCalls("chat.postMessage"));
        Assert.Equal("C0ADMINS", (string?)post["channel"]);
        Assert.Contains("*Expired*", post.Raw());
    }

    [Fact]
    public async Task An_original_that_cannot_be_updated_is_followed_by_a_new_message()
    {
        await PostRequestAsync(Request());
        slack.Script("chat.update", new ScriptedReply(200, """{"ok":false,"error":"message_not_found"}"""));

        await NotifyAsync(new AccessRequestSettled(Admins, "Cancelled.", Request().MoveTo(AccessRequestState.Cancelled, "slack:user:U0ALICE", Now)));

        Assert.Single(slack.Calls("chat.update"));
        Assert.Equal(2, slack.Calls("chat.postMessage").Count());
        Assert.Contains("*Cancelled*", slack.JsonCalls("chat.postMessage")[1].Raw());
    }

    [Fact]
    public async Task The_requester_is_told_in_a_direct_message()
    {
        await NotifyAsync(new AccessRequesterNotice(AccessAudience.Person(ChatPlatform.Slack, "slack:user:U0ALICE"), "Your request r-7kq2 was denied by boss.", "r-7kq2", null));

        var post = Assert.Single(slack.JsonCalls("chat.postMessage"));
        Assert.Equal("U0ALICE", (string?)post["channel"]);
        Assert.Contains("r-7kq2 was denied by boss", post.Raw());
    }

    [Fact]
    public async Task A_reminder_reaches_the_requester_with_an_extend_button()
    {
        var grant = Grant();
        await NotifyAsync(new AccessExpiryReminder(AccessAudience.Person(ChatPlatform.Slack, "slack:user:U0ALICE"), "Your grant g-9mzt ends in 10m.", grant,
            [new AccessAction(AccessActionIds.Extend, "Extend 1h", grant.Id, $"access extend {grant.Id} --for 1h")]));

        var post = Assert.Single(slack.JsonCalls("chat.postMessage"));
        Assert.Equal("U0ALICE", (string?)post["channel"]);
        var button = post["blocks"]!.AsArray().OfType<JsonObject>().Single(b => (string?)b["type"] == "actions")["elements"]![0]!;
        Assert.Equal(AccessActionIds.Extend, (string?)button["action_id"]);
        Assert.Equal("g-9mzt", (string?)button["value"]);
        Assert.Equal("Extend 1h", (string?)button["text"]!["text"]);
    }

    [Fact]
    public async Task An_alert_goes_to_the_approvers_channel_mentioning_them()
    {
        await NotifyAsync(new AccessAlert(Admins, "BREAK-GLASS: alice granted themselves read_branch on prod.", AccessAlertKind.BreakGlass,
            ["slack:user:U0BOSS", "slack:usergroup:S0LEADS", "role:db-admin"], "g-9mzt"));

        var post = Assert.Single(slack.JsonCalls("chat.postMessage"));
        Assert.Equal("C0ADMINS", (string?)post["channel"]);
        var text = (string)post["text"]!;
        Assert.Contains("<@U0BOSS>", text);
        Assert.Contains("<!subteam^S0LEADS>", text);
        Assert.Contains("Break-glass access granted", post.Raw());
        Assert.Contains("`access revoke g-9mzt`", post.Raw());
    }

    [Fact]
    public async Task An_alert_with_only_roles_to_mention_wakes_the_channel()
    {
        await NotifyAsync(new AccessAlert(Admins, "Revoking g-9mzt has failed 3 times.", AccessAlertKind.RevokeFailing, ["role:db-admin"], "g-9mzt"));

        Assert.Contains("<!here>", (string?)Assert.Single(slack.JsonCalls("chat.postMessage"))["text"]);
    }

    [Fact]
    public async Task What_people_typed_cannot_mention_or_link_anyone()
    {
        await PostRequestAsync(Request(reason: "<!channel> see <https://evil.example|docs> & more"));

        var text = Assert.Single(slack.JsonCalls("chat.postMessage")).Raw();
        Assert.DoesNotContain("<!channel>", text);
        Assert.DoesNotContain("<https://evil.example", text);
        Assert.Contains("&lt;!channel&gt;", text);
    }

    [Fact]
    public async Task Notices_for_other_platforms_or_without_a_slack_destination_post_nothing()
    {
        await NotifyAsync(new AccessRequestPosted(AccessAudience.Channel(ChatPlatform.Teams, "teams:channel:19:admins@thread.tacv2"), "x", Request(), Buttons("r-7kq2")));
        await NotifyAsync(new AccessRequestPosted(AccessAudience.Channel(ChatPlatform.Slack, "direct"), "x", Request(), Buttons("r-7kq2")));

        Assert.DoesNotContain(slack.ApiCalls, c => c.Method.StartsWith("chat.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_slack_off_nothing_is_posted()
    {
        await using var off = new SlackTestHost(slack, new() { ["Slack:Enabled"] = "false", ["AccessRequests:StorePath"] = storePath });
        using var scope = off.Services.CreateScope();
        var notifier = scope.ServiceProvider.GetServices<IAccessNotifier>().OfType<SlackAccessNotifier>().Single();

        await notifier.NotifyAsync(new AccessRequestPosted(Admins, "x", Request(), Buttons("r-7kq2")), CancellationToken.None);

        Assert.Empty(slack.Calls("chat.postMessage"));
    }

    [Fact]
    public async Task Failures_reach_the_dispatcher_as_slack_errors_so_it_can_log_and_go_on()
    {
        slack.Script("chat.postMessage", new ScriptedReply(200, """{"ok":false,"error":"not_in_channel"}"""));

        var error = await Assert.ThrowsAsync<PscaleBot.Bot.Slack.Api.SlackApiException>(() => PostRequestAsync(Request()));

        Assert.Equal("not_in_channel", error.Error);
        Assert.Null(await new SqliteSlackAccessPostStore(storePath, TimeProvider.System).FindAsync("r-7kq2", CancellationToken.None));
    }
}
