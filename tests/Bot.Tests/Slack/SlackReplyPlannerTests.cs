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
    private readonly SlackReplyPlanner planner = new(new SlackBlockKitRenderer(new FakeTextRenderer()), new FakeTextRenderer(), Options.Create(new SlackOptions()), new FakeTimeProvider());

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
    public void A_huge_answer_becomes_one_file_instead_of_being_cut_and_stays_within_five_response_url_posts()
    {
        var tokens = new TokenTable("acme", TokenTableKind.List,
            [.. Enumerable.Range(0, 3000).Select(i => new ServiceToken($"t{i:00000000000}", $"name-{i}", DateTimeOffset.UnixEpoch, null, null))]);
        var replies = planner.Plan(new CommandResponse([tokens], OutputFormat.Human, ResponseVisibility.Private, "announce", "warning"), Channel);
        Assert.InRange(replies.Count, 1, SlackReplyPlanner.ResponseUrlPosts);
        var file = Assert.Single(replies, r => r.File is not null).File!;
        Assert.Equal("pscale-tokens.txt", file.FileName);
        Assert.DoesNotContain(replies, r => r.Message.Text.Contains("showing", StringComparison.Ordinal) || r.Message.Blocks!.Any(b => System.Text.Json.JsonSerializer.Serialize(b, SlackJsonContext.Default.SlackBlock).Contains("showing", StringComparison.Ordinal)));
        Assert.All(replies, r => Assert.Empty(SlackMessageLimits.Violations(new SlackMessage(r.Message.Text, r.Message.Blocks!))));
    }

    [Fact]
    public void A_csv_answer_is_a_file_for_the_requester_however_small()
    {
        var reply = Assert.Single(planner.Plan(new CommandResponse([Table], OutputFormat.Csv, ResponseVisibility.Private), Channel));
        Assert.Equal("pscale-access.csv", reply.File?.FileName);
        Assert.Equal("a,b\n1,2\n", reply.File!.Content);
        Assert.Equal(SlackResponseType.Ephemeral, reply.Message.ResponseType);
        Assert.Contains("pscale-access.csv", reply.Message.Text);
    }

    [Fact]
    public void A_public_csv_answer_is_a_file_for_the_channel()
    {
        var reply = Assert.Single(planner.Plan(new CommandResponse([Table], OutputFormat.Csv, ResponseVisibility.Public), Channel));
        Assert.NotNull(reply.File);
        Assert.Equal(SlackResponseType.InChannel, reply.Message.ResponseType);
    }

    [Fact]
    public void An_answer_holding_a_secret_is_never_a_file()
    {
        var replies = planner.Plan(new CommandResponse([Created()], OutputFormat.Csv, ResponseVisibility.Private), Channel);
        Assert.All(replies, r => Assert.Null(r.File));
        Assert.Contains(replies, r => r.HoldsSecret);
    }
}
