using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Bot.Tests.Slack.Fakes;
using PscaleBot.Commands.Access;
using static PscaleBot.EndToEnd.Tests.Slack.SlackPeople;

namespace PscaleBot.EndToEnd.Tests.Slack;

/// <summary>
/// Access requests through Slack over real HTTP: a signed add-access --for under an approval-gated role posts the
/// request with Approve / Deny to the approvers' channel; a signed click settles it once, grants in the sandbox,
/// replaces the buttons with the outcome and tells the requester privately.
/// </summary>
/// <remarks>
/// Needs the pipeline to hand NeedsApproval and access commands to the access workflow (the accesswire branch);
/// on a branch without it the default gateway only explains, so these are skipped until that merge.
/// </remarks>
public sealed class SlackAccessEndToEndTests
{
    private const string Token = "an4lyt1csro0";

    [Fact]
    public async Task An_approver_click_grants_updates_the_request_message_and_tells_the_requester()
    {
        await using var bot = await SlackBot.StartAsync();
        var (requestId, post) = await RequestAsync(bot);

        var reply = bot.NewResponseId();
        var ack = await bot.ClickAsync(Boss, Admins, post.Ts, AccessActionIds.Approve, requestId, reply);

        Assert.Equal(HttpStatusCode.OK, ack.Status);
        Assert.Equal("", ack.Body);
        await Eventually.TrueAsync(() => bot.Slack.Calls("chat.update").Any(), "the request message updated", 30);
        var update = Assert.Single(bot.Slack.JsonCalls("chat.update"));
        Assert.Equal(Admins, (string?)update["channel"]);
        Assert.Equal(post.Ts, (string?)update["ts"]);
        Assert.DoesNotContain(update["blocks"]!.AsArray(), b => (string?)b!["type"] == "actions");
        Assert.Contains($"Approved* by <@{Boss}>", update.Raw());

        var grants = await bot.SandboxApi.GrantsAsync(Token);
        Assert.Contains("read_branch", grants.Single(g => g.ResourceName == "prod").Accesses);

        var active = await bot.Bot.Services.GetRequiredService<IAccessStore>().ListActiveGrantsAsync(CancellationToken.None);
        var grant = Assert.Single(active);
        Assert.Equal(requestId, grant.RequestId);

        await Eventually.TrueAsync(() => bot.Slack.PostedMessages.Any(m => m.Channel == Alice), "the requester told privately");
        var told = bot.Slack.PostedMessages.Single(m => m.Channel == Alice);
        Assert.Contains(grant.Id, told.Body.Raw());

        var answer = Assert.Single(await bot.WaitForPostsAsync(reply));
        Assert.Equal("ephemeral", (string?)answer["response_type"]);
    }

    [Fact]
    public async Task A_non_approver_click_is_refused_privately_and_the_message_stays()
    {
        await using var bot = await SlackBot.StartAsync();
        var (requestId, post) = await RequestAsync(bot);

        var reply = bot.NewResponseId();
        await bot.ClickAsync(Mallory, Admins, post.Ts, AccessActionIds.Approve, requestId, reply);

        var answer = Assert.Single(await bot.WaitForPostsAsync(reply));
        Assert.Equal("ephemeral", (string?)answer["response_type"]);
        Assert.False((bool)answer["replace_original"]!);
        Assert.Contains("may not approve", answer.Raw());
        Assert.Empty(bot.Slack.Calls("chat.update"));
        var request = await bot.Bot.Services.GetRequiredService<IAccessStore>().GetRequestAsync(requestId, CancellationToken.None);
        Assert.Equal(AccessRequestState.Pending, request!.State);
        Assert.DoesNotContain((await bot.SandboxApi.GrantsAsync(Token)), g => g.ResourceName == "prod");
    }

    [Fact]
    public async Task Two_approvers_clicking_at_once_settle_the_request_once()
    {
        await using var bot = await SlackBot.StartAsync();
        var (requestId, post) = await RequestAsync(bot);

        var first = bot.NewResponseId();
        var second = bot.NewResponseId();
        await Task.WhenAll(
            bot.ClickAsync(Boss, Admins, post.Ts, AccessActionIds.Approve, requestId, first),
            bot.ClickAsync(Boss2, Admins, post.Ts, AccessActionIds.Approve, requestId, second));

        var answers = (await bot.WaitForPostsAsync(first, seconds: 30)).Concat(await bot.WaitForPostsAsync(second, seconds: 30)).ToList();
        Assert.Equal(2, answers.Count);
        Assert.Single(answers, a => a.Raw().Contains("already approved", StringComparison.Ordinal));
        var active = await bot.Bot.Services.GetRequiredService<IAccessStore>().ListActiveGrantsAsync(CancellationToken.None);
        Assert.Single(active);
        Assert.Single(bot.Slack.JsonCalls("chat.update"), u => u.Raw().Contains("Approved*", StringComparison.Ordinal));
        Assert.Single(bot.Slack.PostedMessages, m => m.Channel == Alice);
        Assert.Contains("read_branch", (await bot.SandboxApi.GrantsAsync(Token)).Single(g => g.ResourceName == "prod").Accesses);
    }

    [Fact]
    public async Task A_double_click_by_one_approver_settles_once()
    {
        await using var bot = await SlackBot.StartAsync();
        var (requestId, post) = await RequestAsync(bot);

        var first = bot.NewResponseId();
        var second = bot.NewResponseId();
        await Task.WhenAll(
            bot.ClickAsync(Boss, Admins, post.Ts, AccessActionIds.Approve, requestId, first),
            bot.ClickAsync(Boss, Admins, post.Ts, AccessActionIds.Approve, requestId, second));

        var answers = (await bot.WaitForPostsAsync(first, seconds: 30)).Concat(await bot.WaitForPostsAsync(second, seconds: 30)).ToList();
        Assert.Single(answers, a => a.Raw().Contains("already approved", StringComparison.Ordinal));
        Assert.Single(await bot.Bot.Services.GetRequiredService<IAccessStore>().ListActiveGrantsAsync(CancellationToken.None));
        Assert.Single(bot.Slack.JsonCalls("chat.update"));
    }

    [Fact]
    public async Task A_deny_click_replaces_the_buttons_and_tells_the_requester()
    {
        await using var bot = await SlackBot.StartAsync();
        var (requestId, post) = await RequestAsync(bot);

        await bot.ClickAsync(Boss, Admins, post.Ts, AccessActionIds.Deny, requestId, bot.NewResponseId());

        await Eventually.TrueAsync(() => bot.Slack.Calls("chat.update").Any() && bot.Slack.PostedMessages.Any(m => m.Channel == Alice), "the message updated and the requester told", 30);
        var update = Assert.Single(bot.Slack.JsonCalls("chat.update"));
        Assert.Equal(post.Ts, (string?)update["ts"]);
        Assert.DoesNotContain(update["blocks"]!.AsArray(), b => (string?)b!["type"] == "actions");
        Assert.Contains($"*Denied* by <@{Boss}>", update.Raw());
        Assert.Contains("denied", bot.Slack.PostedMessages.Single(m => m.Channel == Alice).Body.Raw());
        Assert.DoesNotContain(await bot.SandboxApi.GrantsAsync(Token), g => g.ResourceName == "prod");
    }

    /// <summary>Alice asks in #oncall; returns the request id (from the Approve button) and where it was posted.</summary>
    private static async Task<(string RequestId, (string Channel, string Ts, JsonObject Body) Post)> RequestAsync(SlackBot bot)
    {
        var reply = bot.NewResponseId();
        var ack = await bot.CommandAsync(Alice, OnCall, $"service-token add-access {Token} read_branch --database prod --for 2h --reason \"INC-7 replica lag\"", reply);
        Assert.Equal(HttpStatusCode.OK, ack.Status);

        // Replies go out in order: the private answer first, then any announcement in the channel.
        var filed = (await bot.WaitForPostsAsync(reply))[0];
        Assert.Equal("ephemeral", (string?)filed["response_type"]);
        Assert.Contains("filed", filed.Raw());
        await Eventually.TrueAsync(() => bot.Slack.PostedMessages.Any(m => m.Channel == Admins), "the request posted to the approvers' channel");
        var post = bot.Slack.PostedMessages.Single(m => m.Channel == Admins);
        var buttons = post.Body["blocks"]!.AsArray().OfType<JsonObject>().Single(b => (string?)b["type"] == "actions")["elements"]!.AsArray().OfType<JsonObject>().ToList();
        Assert.Equal([AccessActionIds.Approve, AccessActionIds.Deny], buttons.Select(b => (string?)b["action_id"]));
        var requestId = (string)buttons[0]["value"]!;
        Assert.Equal(requestId, (string?)buttons[1]["value"]);
        Assert.Contains(requestId, filed.Raw());

        var facts = post.Body.Raw();
        foreach (var fact in new[] { $"<@{Alice}>", Token, "prod", "read_branch", "2h", "INC-7 replica lag" })
        {
            Assert.Contains(fact, facts);
        }

        Assert.DoesNotContain((await bot.SandboxApi.GrantsAsync(Token)), g => g.ResourceName == "prod");
        return (requestId, post);
    }
}
