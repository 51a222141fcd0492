using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Bot.Tests.Teams.Support;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Model;
using static PscaleBot.Bot.Tests.Teams.Access.AccessSamples;

namespace PscaleBot.Bot.Tests.Teams.Access;

/// <summary>The Teams notifier through the real connector client to the fake connector.</summary>
public sealed class TeamsAccessNotifierTests : TeamsTestBase
{
    private async Task NotifyAsync(AccessNotification notification)
    {
        using var scope = Factory.Services.CreateScope();
        var notifier = scope.ServiceProvider.GetServices<IAccessNotifier>().Single(n => n.GetType().Name == "TeamsAccessNotifier");
        await notifier.NotifyAsync(notification, CancellationToken.None);
    }

    /// <summary>The bot sees a message in the admins' channel, so it knows where (serviceUrl) to post there.</summary>
    private async Task SeeAdminsChannelAsync()
    {
        var activity = ActivityJson.Message(Connector.ServiceUrl, "<at>pscale</at> whoami");
        activity["channelData"]!["channel"]!["id"] = AdminsChannel;
        activity["conversation"]!["id"] = AdminsChannel + ";messageid=1";
        Assert.Equal(HttpStatusCode.OK, (await SendValidAsync(activity)).StatusCode);
        await Connector.WaitForAsync(c => c.ActivityType == "message" && c.DecodedPath.EndsWith("/activities/" + activity["id"], StringComparison.Ordinal));
    }

    private static AccessRequestPosted Posted(AccessRequest request) =>
        new(AccessAudience.Channel(ChatPlatform.Teams, $"teams:channel:{AdminsChannel}"), "Alice asks…", request, Buttons().ToList());

    private static IEnumerable<AccessAction> Buttons() =>
    [
        new(AccessActionIds.Approve, "Approve", "r-7kq2", "access approve r-7kq2"),
        new(AccessActionIds.Deny, "Deny", "r-7kq2", "access deny r-7kq2"),
    ];

    [Fact]
    public async Task A_request_is_posted_to_the_approvers_channel_as_a_status_card_that_refreshes_for_approvers()
    {
        await SeeAdminsChannelAsync();

        await NotifyAsync(Posted(Request()));

        var post = await Connector.WaitForAsync(c => c.Method == "POST" && c.DecodedPath.EndsWith($"/v3/conversations/{AdminsChannel}/activities", StringComparison.Ordinal));
        var card = post.Card!;
        Assert.Equal("1.5", card["version"]!.GetValue<string>());
        // No buttons for everyone: Universal Actions refresh the card into Approve/Deny for approvers only.
        Assert.Null(card["actions"]);
        Assert.Equal("Action.Execute", card["refresh"]!["action"]!["type"]!.GetValue<string>());
        Assert.Equal("pscale.access.view", card["refresh"]!["action"]!["verb"]!.GetValue<string>());
        Assert.Equal("r-7kq2", card["refresh"]!["action"]!["data"]!["id"]!.GetValue<string>());
        Assert.Contains("access approve r-7kq2", post.RawBody, StringComparison.Ordinal);
        var facts = card["body"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "FactSet")!["facts"]!.AsArray()
            .ToDictionary(f => f!["title"]!.GetValue<string>(), f => f!["value"]!.GetValue<string>());
        Assert.Equal("Alice Example", facts["Requester"]);
        Assert.Equal("ci7deploy0a1", facts["Token"]);
        Assert.Equal("prod", facts["Resource"]);
        Assert.Equal("read_branch, connect_production_branch", facts["Permissions"]);
        Assert.Equal("2h", facts["Duration"]);
        Assert.Equal("INC-42 hot fix", facts["Reason"]);
    }

    [Fact]
    public async Task Settling_replaces_the_posted_card_with_the_outcome_and_no_buttons()
    {
        await SeeAdminsChannelAsync();
        await NotifyAsync(Posted(Request()));
        await Connector.WaitForAsync(c => c.Method == "POST" && c.DecodedPath.Contains(AdminsChannel + "/activities", StringComparison.Ordinal));

        await NotifyAsync(new AccessRequestSettled(AccessAudience.Channel(ChatPlatform.Teams, $"teams:channel:{AdminsChannel}"), "Request r-7kq2 approved.", Approved()));

        var put = await Connector.WaitForAsync(c => c.Method == "PUT");
        Assert.Matches($"/v3/conversations/{AdminsChannel}/activities/activity-\\d+$", put.DecodedPath);
        Assert.Null(put.Card!["actions"]);
        Assert.Contains("Approved by Bob Approver at 2026-11-28 18:03 UTC", put.RawBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_for_a_channel_never_seen_is_not_posted_without_a_configured_service_url()
    {
        await NotifyAsync(Posted(Request()));
        await SendSentinelAsync();

        Assert.DoesNotContain(Connector.Calls, c => c.DecodedPath.Contains(AdminsChannel, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_requester_is_told_privately_in_a_1_to_1_chat()
    {
        await SendSentinelAsync(); // the bot has now seen Alice (29:user-mri) in #dbops

        await NotifyAsync(new AccessRequesterNotice(AccessAudience.Person(ChatPlatform.Teams, Requester.UserId), "Your request r-7kq2 was approved by Bob.", "r-7kq2", null));

        var created = await Connector.WaitForAsync(c => c.Method == "POST" && c.DecodedPath.EndsWith("/v3/conversations", StringComparison.Ordinal));
        Assert.Equal("29:user-mri", created.Body!["members"]![0]!["id"]!.GetValue<string>());
        var told = await Connector.WaitForAsync(c => c.DecodedPath.Contains("/v3/conversations/a:personal-", StringComparison.Ordinal));
        Assert.Equal("Your request r-7kq2 was approved by Bob.", told.Body!["text"]!.GetValue<string>());
        Assert.DoesNotContain(Connector.Calls, c => c.DecodedPath.Contains(ActivityJson.ChannelId, StringComparison.Ordinal) && c.RawBody.Contains("r-7kq2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_expiry_reminder_carries_an_extend_button_with_the_grant_and_duration()
    {
        await SendSentinelAsync();

        await NotifyAsync(new AccessExpiryReminder(AccessAudience.Person(ChatPlatform.Teams, Requester.UserId), "Grant g-9xyz ends in 10m.", Grant(),
            [new AccessAction(AccessActionIds.Extend, "Extend 1h", "g-9xyz", "access extend g-9xyz --for 1h")]));

        var reminder = await Connector.WaitForAsync(c => c.DecodedPath.Contains("/v3/conversations/a:personal-", StringComparison.Ordinal) && c.Card is not null);
        var extend = Execute(reminder.Card!, AccessActionIds.Extend);
        Assert.Equal("g-9xyz", extend["data"]!["id"]!.GetValue<string>());
        Assert.Equal("1h", extend["data"]!["for"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_alert_mentions_the_teams_approvers()
    {
        await SeeAdminsChannelAsync();

        await NotifyAsync(new AccessAlert(AccessAudience.Channel(ChatPlatform.Teams, $"teams:channel:{AdminsChannel}"), "Alice used break-glass.", AccessAlertKind.BreakGlass,
            ["teams:user:00000000-0000-0000-0000-0000000000b2", "role:db-admin"], "g-9xyz"));

        var alert = await Connector.WaitForAsync(c => c.Method == "POST" && c.DecodedPath.EndsWith($"{AdminsChannel}/activities", StringComparison.Ordinal));
        var mention = alert.Card!["msteams"]!["entities"]![0]!;
        Assert.Equal("00000000-0000-0000-0000-0000000000b2", mention["mentioned"]!["id"]!.GetValue<string>());
        Assert.Equal("<at>00000000-0000-0000-0000-0000000000b2</at>", mention["text"]!.GetValue<string>());
        Assert.Contains(alert.Card!["body"]!.AsArray(), e => e!["text"]!.GetValue<string>().Contains("<at>00000000-0000-0000-0000-0000000000b2</at>, role:db-admin", StringComparison.Ordinal));
        Assert.Contains("Break-glass", alert.RawBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notices_for_other_platforms_are_ignored()
    {
        await SeeAdminsChannelAsync();
        var before = Connector.Calls.Count;

        await NotifyAsync(new AccessRequesterNotice(AccessAudience.Person(ChatPlatform.Slack, "slack:user:U1"), "hi", null, null));
        await NotifyAsync(Posted(Request()) with { Audience = AccessAudience.Channel(ChatPlatform.Slack, "slack:channel:C1") });

        Assert.Equal(before, Connector.Calls.Count);
    }
}

/// <summary>With <c>Teams:ServiceUrl</c> set, channels the bot has not seen since start are reachable.</summary>
public sealed class TeamsAccessNotifierConfiguredServiceUrlTests : TeamsTestBase
{
    // Read when the host is built, after the fake connector has started.
    protected override Dictionary<string, string?>? Overrides => new() { ["Teams:ServiceUrl"] = Connector.ServiceUrl };

    [Fact]
    public async Task A_request_for_an_unseen_channel_goes_to_the_configured_service_url()
    {
        using var scope = Factory.Services.CreateScope();
        var notifier = scope.ServiceProvider.GetServices<IAccessNotifier>().Single(n => n.GetType().Name == "TeamsAccessNotifier");

        await notifier.NotifyAsync(new AccessRequestPosted(AccessAudience.Channel(ChatPlatform.Teams, $"teams:channel:{AdminsChannel}"), "Alice asks…", Request(),
            [new AccessAction(AccessActionIds.Approve, "Approve", "r-7kq2", "access approve r-7kq2")]), CancellationToken.None);

        var post = await Connector.WaitForAsync(c => c.Method == "POST" && c.DecodedPath.EndsWith($"/v3/conversations/{AdminsChannel}/activities", StringComparison.Ordinal));
        Assert.Equal("28:" + LocalOpenIdServer.AppId, post.Body!["from"]!["id"]!.GetValue<string>());
        Assert.NotNull(post.Card);
    }
}
