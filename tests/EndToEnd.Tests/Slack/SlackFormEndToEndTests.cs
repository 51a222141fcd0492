using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Bot.Tests.Slack.Fakes;
using PscaleBot.Commands.Access;
using static PscaleBot.EndToEnd.Tests.Slack.SlackPeople;

namespace PscaleBot.EndToEnd.Tests.Slack;

/// <summary>
/// The access request form, the message shortcut and App Home, end to end over real HTTP: the real bot against the
/// sandbox and the fake Slack. Every view the bot sends is also saved for tools/blockkit-check (PSCALE_BLOCKKIT_SAMPLES).
/// </summary>
public sealed class SlackFormEndToEndTests
{
    private const string Token = "an4lyt1csro0";

    /// <summary>The standard policy, with a reason required for on-call requests and revoke/extend allowed to the requester.</summary>
    public const string FormPolicy = """
        roles:
          oncall:
            commands: [show-access, add-access, access-list, access-cancel, access-revoke, access-extend]
            databases: [prod]
            permissions: [read_branch, connect_production_branch]
            approval:
              required_for: always
              approvers: [slack:user:U0BOSS, slack:user:U0BOSS2]
              min_approvals: 1
              default_duration: 1h
              max_duration: 4h
              reason_required: true
              request_channels:
                slack: slack:channel:C0ADMINS
              request_timeout: 30m
          approver:
            commands: [access-list, access-approve, access-deny, access-revoke]
          token-admin:
            commands: [list, show, show-access]
        bindings:
          - where: slack:channel:C0ONCALL
            who: slack:user:U0ALICE
            roles: [oncall]
          - where: slack:channel:C0ADMINS
            who: [slack:user:U0BOSS, slack:user:U0BOSS2]
            roles: [approver]
          - where: slack:channel:C0OPS
            who: slack:user:U0ALICE
            roles: [token-admin]
        """;

    [Fact]
    public async Task A_request_made_with_the_form_is_approved_and_revoked_from_app_home()
    {
        await using var bot = await SlackBot.StartAsync(FormPolicy);

        // /pscale with no text opens the form with the trigger_id; the acknowledgement is empty.
        var ack = await bot.CommandAsync(Alice, OnCall, "", bot.NewResponseId());
        Assert.Equal(HttpStatusCode.OK, ack.Status);
        Assert.Equal("", ack.Body);
        await Eventually.TrueAsync(() => bot.Slack.Calls("views.open").Any(), "the form opened");
        var open = Assert.Single(bot.Slack.JsonCalls("views.open"));
        Assert.StartsWith("trigger.", (string?)open["trigger_id"]);
        var view = (JsonObject)open["view"]!;
        BlockKitSamples.Save("modal-access-request", view);
        Assert.Equal("modal", (string?)view["type"]);
        Assert.Equal("pscale.access.form", (string?)view["callback_id"]);
        Assert.Equal(["prod"], Options(view, "database"));
        Assert.Equal(["read_branch", "connect_production_branch"], Options(view, "permissions"));
        Assert.Equal(["15m", "30m", "1h", "2h", "4h"], Labels(view, "duration"));
        Assert.Null(Block(view, "reason")["optional"]);
        Assert.Equal("external_select", (string?)Block(view, "token")["element"]!["type"]);

        // Suggestions: tokens matching what was typed.
        var suggested = await bot.InteractAsync(SlackFormPayloads.Suggestion(Alice, view, "analytics"));
        Assert.Equal(HttpStatusCode.OK, suggested.Status);
        BlockKitSamples.Save("options-token-suggestions", suggested.Json);
        var options = suggested.Json["options"]!.AsArray().Select(o => (string?)o!["value"]).ToList();
        Assert.Equal([Token], options);

        // Submitted without the required reason: an inline error under the reason, nothing filed.
        var refused = await bot.InteractAsync(SlackFormPayloads.Submission(Alice, view, "V0FORM1", Token, "prod", ["read_branch"], "120", null));
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        BlockKitSamples.Save("view-submission-errors", refused.Json);
        Assert.Equal("errors", (string?)refused.Json["response_action"]);
        Assert.Contains("reason", (string?)refused.Json["errors"]!["reason"], StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await bot.Bot.Services.GetRequiredService<IAccessStore>().ListPendingRequestsAsync(CancellationToken.None));

        // Submitted correctly: the modal closes, the request goes to the approvers, the answer privately to Alice.
        var filed = await bot.InteractAsync(SlackFormPayloads.Submission(Alice, view, "V0FORM2", Token, "prod", ["read_branch"], "120", "INC-7 \"replica\" lag"));
        Assert.Equal(HttpStatusCode.OK, filed.Status);
        Assert.Equal("", filed.Body);
        await Eventually.TrueAsync(() => bot.Slack.PostedMessages.Any(m => m.Channel == Admins), "the request posted to the approvers' channel");
        var request = Assert.Single(await bot.Bot.Services.GetRequiredService<IAccessStore>().ListPendingRequestsAsync(CancellationToken.None));
        Assert.Equal(TimeSpan.FromHours(2), request.Duration);
        Assert.Equal("INC-7 'replica' lag", request.Reason);
        Assert.Equal("slack:channel:C0ONCALL", request.Requester.PlaceId);
        await Eventually.TrueAsync(() => bot.Slack.JsonCalls("chat.postEphemeral").Any(c => (string?)c["user"] == Alice), "the private answer to Alice");
        var answer = bot.Slack.JsonCalls("chat.postEphemeral").First(c => (string?)c["user"] == Alice);
        Assert.Equal(OnCall, (string?)answer["channel"]);
        Assert.Contains(request.Id, answer.Raw());

        // Alice's own tab shows the pending request with Cancel.
        await bot.EventAsync(SlackFormPayloads.HomeOpened(Alice, "Ev0ALICE0"));
        var pendingHome = await HomeOfAsync(bot, Alice, 1);
        BlockKitSamples.Save("home-pending", pendingHome);
        Assert.Contains(Buttons(pendingHome), b => b.ActionId == "pscale.access.cancel" && b.Value == request.Id);

        // Boss opens App Home: the request waits for his approval there, with Approve / Deny.
        Assert.Equal(HttpStatusCode.OK, (await bot.EventAsync(SlackFormPayloads.HomeOpened(Boss, "Ev0BOSS1"))).Status);
        var bossHome = await HomeOfAsync(bot, Boss, 1);
        BlockKitSamples.Save("home-approver", bossHome);
        Assert.Contains(Buttons(bossHome), b => b.ActionId == AccessActionIds.Approve && b.Value == request.Id);

        await bot.InteractAsync(SlackFormPayloads.HomeClick(Boss, AccessActionIds.Approve, request.Id, "1700000200.000001"));
        await Eventually.TrueAsync(() => Grants(bot).Count == 1, "the grant made", 30);
        var grant = Grants(bot).Single();
        // The grant is recorded before PlanetScale is asked (so a crash leaves it to be reconciled): wait for the sandbox.
        await Eventually.TrueAsync(() => HoldsReadBranch(bot), "read_branch granted on prod", 30);
        // The approver's tab no longer offers the settled request.
        var republished = await HomeOfAsync(bot, Boss, 2);
        Assert.DoesNotContain(Buttons(republished), b => b.Value == request.Id);

        // Alice's tab was published again when her request was approved: her grant with its time left and Revoke.
        await Eventually.TrueAsync(() => LatestHomeOf(bot, Alice) is { } latest && Buttons(latest).Any(b => b.Value == grant.Id), "Alice's tab refreshed with her grant", 30);
        var aliceHome = LatestHomeOf(bot, Alice)!;
        BlockKitSamples.Save("home-requester", aliceHome);
        Assert.Contains(Buttons(aliceHome), b => b.ActionId == AccessActionIds.Revoke && b.Value == grant.Id);
        Assert.Contains("left", aliceHome.Raw());

        await bot.InteractAsync(SlackFormPayloads.HomeClick(Alice, AccessActionIds.Revoke, grant.Id, "1700000300.000001"));
        await Eventually.TrueAsync(() => Grants(bot).Count == 0, "the grant revoked", 30);
        await Eventually.TrueAsync(() => !HoldsReadBranch(bot), "read_branch removed from prod", 30);
        await Eventually.TrueAsync(() => bot.Slack.PostedMessages.Any(m => m.Channel == Alice && m.Body.Raw().Contains("revoked", StringComparison.OrdinalIgnoreCase)),
            "Alice told in her DM with the bot");
    }

    [Fact]
    public async Task The_message_shortcut_opens_the_form_with_the_message_link_as_the_reason()
    {
        await using var bot = await SlackBot.StartAsync(FormPolicy);

        var ack = await bot.InteractAsync(SlackFormPayloads.Shortcut(Alice, OnCall, "1700000000.123456", bot.NewTriggerId()));

        Assert.Equal(HttpStatusCode.OK, ack.Status);
        Assert.Equal("", ack.Body);
        await Eventually.TrueAsync(() => bot.Slack.Calls("views.open").Any(), "the form opened");
        var view = (JsonObject)Assert.Single(bot.Slack.JsonCalls("views.open"))["view"]!;
        Assert.Equal("https://acme.slack.com/archives/C0ONCALL/p1700000000123456", (string?)Block(view, "reason")["element"]!["initial_value"]);
        Assert.Equal(["prod"], Options(view, "database"));
    }

    [Fact]
    public async Task A_person_without_a_role_here_gets_a_form_that_says_so_and_no_token_suggestions()
    {
        await using var bot = await SlackBot.StartAsync(FormPolicy);

        await bot.CommandAsync(Bob, OnCall, "access request", bot.NewResponseId());

        await Eventually.TrueAsync(() => bot.Slack.Calls("views.open").Any(), "the form opened");
        var view = (JsonObject)Assert.Single(bot.Slack.JsonCalls("views.open"))["view"]!;
        Assert.Null(view["submit"]);
        Assert.Contains("None of your roles", view.Raw());
        var suggested = await bot.InteractAsync(SlackFormPayloads.Suggestion(Bob, view, ""));
        Assert.Empty(suggested.Json["options"]!.AsArray());
    }

    [Fact]
    public async Task Events_are_signed_verified_and_run_once_however_often_slack_retries()
    {
        await using var bot = await SlackBot.StartAsync(FormPolicy);

        using (var unsigned = new HttpRequestMessage(HttpMethod.Post, "/slack/events") { Content = new StringContent(SlackFormPayloads.HomeOpened(Alice, "Ev0X").ToJsonString()) })
        {
            using var response = await bot.Client.SendAsync(unsigned);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        var verification = await bot.EventAsync(new JsonObject { ["token"] = "x", ["challenge"] = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", ["type"] = "url_verification" });
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", (string?)verification.Json["challenge"]);

        await bot.EventAsync(SlackFormPayloads.HomeOpened(Alice, "Ev0ONCE"));
        await bot.EventAsync(SlackFormPayloads.HomeOpened(Alice, "Ev0ONCE"), retryNum: 1);
        await bot.EventAsync(SlackFormPayloads.HomeOpened(Alice, "Ev0ONCE"), retryNum: 2);
        await bot.EventAsync(SlackFormPayloads.HomeOpened(Boss, "Ev0LATER"));

        await HomeOfAsync(bot, Boss, 1);
        await HomeOfAsync(bot, Alice, 1);
        Assert.Single(bot.Slack.JsonCalls("views.publish"), p => (string?)p["user_id"] == Alice);
    }

    [Fact]
    public async Task A_pending_request_is_cancelled_from_app_home()
    {
        await using var bot = await SlackBot.StartAsync(FormPolicy);
        await bot.CommandAsync(Alice, OnCall, $"service-token add-access {Token} read_branch --database prod --for 1h --reason \"INC-8\"", bot.NewResponseId());
        await Eventually.TrueAsync(() => bot.Bot.Services.GetRequiredService<IAccessStore>().ListPendingRequestsAsync(CancellationToken.None).GetAwaiter().GetResult().Count == 1, "the request filed");
        var request = (await bot.Bot.Services.GetRequiredService<IAccessStore>().ListPendingRequestsAsync(CancellationToken.None)).Single();

        await bot.EventAsync(SlackFormPayloads.HomeOpened(Alice, "Ev0CANCEL"));
        Assert.Contains(Buttons(await HomeOfAsync(bot, Alice, 1)), b => b.ActionId == "pscale.access.cancel" && b.Value == request.Id);
        await bot.InteractAsync(SlackFormPayloads.HomeClick(Alice, "pscale.access.cancel", request.Id, "1700000400.000001"));

        await Eventually.TrueAsync(() => bot.Bot.Services.GetRequiredService<IAccessStore>().GetRequestAsync(request.Id, CancellationToken.None).GetAwaiter().GetResult()?.State == AccessRequestState.Cancelled,
            "the request cancelled", 30);
        await Eventually.TrueAsync(() => LatestHomeOf(bot, Alice) is { } latest && !Buttons(latest).Any(b => b.Value == request.Id), "the tab without the request", 30);
    }

    private static JsonObject? LatestHomeOf(SlackBot bot, string user) =>
        bot.Slack.JsonCalls("views.publish").LastOrDefault(p => (string?)p["user_id"] == user)?["view"] as JsonObject;

    private static bool HoldsReadBranch(SlackBot bot) =>
        bot.SandboxApi.GrantsAsync(Token).GetAwaiter().GetResult().Any(g => g.ResourceName == "prod" && g.Accesses.Contains("read_branch"));

    private static List<AccessGrant> Grants(SlackBot bot) =>
        [.. bot.Bot.Services.GetRequiredService<IAccessStore>().ListActiveGrantsAsync(CancellationToken.None).GetAwaiter().GetResult()];

    private static async Task<JsonObject> HomeOfAsync(SlackBot bot, string user, int count)
    {
        await Eventually.TrueAsync(() => bot.Slack.JsonCalls("views.publish").Count(p => (string?)p["user_id"] == user) >= count, $"App Home #{count} of {user} published", 30);
        var view = (JsonObject)bot.Slack.JsonCalls("views.publish").Where(p => (string?)p["user_id"] == user).ElementAt(count - 1)["view"]!;
        Assert.Equal("home", (string?)view["type"]);
        return view;
    }

    private static JsonObject Block(JsonObject view, string blockId) =>
        view["blocks"]!.AsArray().OfType<JsonObject>().Single(b => (string?)b["block_id"] == blockId);

    private static List<string?> Options(JsonObject view, string blockId) =>
        [.. Block(view, blockId)["element"]!["options"]!.AsArray().Select(o => (string?)o!["value"])];

    private static List<string?> Labels(JsonObject view, string blockId) =>
        [.. Block(view, blockId)["element"]!["options"]!.AsArray().Select(o => (string?)o!["text"]!["text"])];

    private static List<(string? ActionId, string? Value)> Buttons(JsonObject view) =>
        [.. view["blocks"]!.AsArray().OfType<JsonObject>().Where(b => (string?)b["type"] == "actions")
            .SelectMany(b => b["elements"]!.AsArray().OfType<JsonObject>())
            .Select(e => ((string?)e["action_id"], (string?)e["value"]))];
}
