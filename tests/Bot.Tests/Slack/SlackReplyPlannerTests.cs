using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PscaleBot.Bot.Slack;
using PscaleBot.Bot.Slack.Api;
using PscaleBot.Bot.Slack.Commands;
using PscaleBot.Bot.Slack.Rendering;
using PscaleBot.Bot.Tests.Slack.Fakes;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;

namespace PscaleBot.Bot.Tests.Slack;

public sealed class SlackReplyPlannerTests
{
    private static readonly SlackReplyTarget Channel = new("T1", "C1", "U1", "https://hooks.slack.com/commands/x", IsDirect: false);
    private readonly SlackReplyPlanner planner = new(new SlackBlockKitRenderer(new FakeTextRenderer()), Options.Create(new SlackOptions()), new FakeTimeProvider());

    private static readonly PermissionTable Table = new("acme", "abc", [new PermissionRow("db", ResourceKind.Database, [new PermissionEntry("read_branch")])]);

    private static TokenTable Created() => new("acme", TokenTableKind.Created,
        [new ServiceToken("abc", null, DateTimeOffset.UnixEpoch, null, null, new TokenSecret("pscale_tkn_X"))]);

    [Fact]
    public void Reads_go_privately_to_the_requester_by_default()
    {
        var reply = Assert.Single(planner.Plan(new CommandResponse([Table], OutputFormat.Human, ResponseVisibility.Private), Channel));
        Assert.Equal(SlackResponseType.Ephemeral, reply.Message.ResponseType);
    }

    [Fact]
    public void Reads_asked_for_with_public_go_to_the_channel()
    {
        var reply = Assert.Single(planner.Plan(new CommandResponse([Table], OutputFormat.Human, ResponseVisibility.Public), Channel));
        Assert.Equal(SlackResponseType.InChannel, reply.Message.ResponseType);
    }

    [Fact]
    public void A_secret_is_always_private_even_when_public_was_asked_for()
    {
        var reply = Assert.Single(planner.Plan(new CommandResponse([Created()], OutputFormat.Human, ResponseVisibility.Public), Channel));
        Assert.Equal(SlackResponseType.Ephemeral, reply.Message.ResponseType);
        Assert.True(reply.HoldsSecret);
    }

    [Fact]
    public void Errors_are_private_whatever_the_visibility()
    {
        var reply = Assert.Single(planner.Plan(new CommandResponse([new ErrorResult("no", null, null, ErrorCategory.Api)], OutputFormat.Human, ResponseVisibility.Public), Channel));
        Assert.Equal(SlackResponseType.Ephemeral, reply.Message.ResponseType);
    }

    [Fact]
    public void Changes_are_announced_in_the_channel_after_the_private_answer_and_warnings_come_first_privately()
    {
        var response = new CommandResponse([new MessageResult("deleted", MessageTone.Success)], OutputFormat.Human, ResponseVisibility.Private,
            Announcement: "alice deleted token <abc>", SecretWarning: "You pasted a secret.");
        var replies = planner.Plan(response, Channel);
        Assert.Equal(3, replies.Count);
        Assert.Equal(SlackResponseType.Ephemeral, replies[0].Message.ResponseType);
        Assert.Contains("You pasted a secret.", replies[0].Message.Text);
        Assert.Equal(SlackResponseType.Ephemeral, replies[1].Message.ResponseType);
        Assert.Equal(SlackResponseType.InChannel, replies[2].Message.ResponseType);
        Assert.Contains("alice deleted token &lt;abc&gt;", replies[2].Message.Text);
    }

    [Fact]
    public void Nothing_is_announced_in_a_direct_message()
    {
        var response = new CommandResponse([new MessageResult("deleted")], OutputFormat.Human, ResponseVisibility.Private, Announcement: "alice deleted abc");
        var reply = Assert.Single(planner.Plan(response, Channel with { IsDirect = true }));
        Assert.Equal(SlackResponseType.Ephemeral, reply.Message.ResponseType);
    }

    [Fact]
    public void A_huge_answer_with_warning_and_announcement_stays_within_five_response_url_posts()
    {
        var tokens = new TokenTable("acme", TokenTableKind.List,
            [.. Enumerable.Range(0, 3000).Select(i => new ServiceToken($"t{i:00000000000}", $"name-{i}", DateTimeOffset.UnixEpoch, null, null))]);
        var replies = planner.Plan(new CommandResponse([tokens], OutputFormat.Human, ResponseVisibility.Private, "announce", "warning"), Channel);
        Assert.Equal(SlackReplyPlanner.ResponseUrlPosts, replies.Count);
        Assert.All(replies, r => Assert.Empty(SlackMessageLimits.Violations(new SlackMessage(r.Message.Text, r.Message.Blocks!))));
    }
}
