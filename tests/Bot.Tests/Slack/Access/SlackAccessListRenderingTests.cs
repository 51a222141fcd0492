using System.Text.Json.Nodes;
using PscaleBot.Bot.Slack;
using PscaleBot.Bot.Slack.Rendering;
using PscaleBot.Bot.Tests.Slack.Fakes;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Grammar;
using static PscaleBot.Bot.Tests.Slack.Access.AccessSamples;

namespace PscaleBot.Bot.Tests.Slack.Access;

public sealed class SlackAccessListRenderingTests
{
    private readonly SlackBlockKitRenderer renderer = new(new FakeTextRenderer());

    private IReadOnlyList<SlackMessage> Render(AccessListResult result, SlackTableStyle style = SlackTableStyle.Table, int maxMessages = 5) =>
        renderer.Render([result], OutputFormat.Human, new SlackRenderContext("U0BOSS", Now, style), maxMessages);

    private static AccessListResult List(int grants) => new(
        [
            AccessListRow.From(Request(), Now),
            .. Enumerable.Range(0, grants).Select(i => AccessListRow.From(Grant($"g-{i:0000}") with { EndsAt = Now.AddMinutes(90 - i) }, Now)),
        ],
        Now);

    [Fact]
    public void Requests_come_first_then_grants_soonest_first_in_one_table()
    {
        var message = Assert.Single(Render(List(2)));

        Assert.Empty(SlackMessageLimits.Violations(message));
        var table = message.Blocks.Json().OfType<JsonObject>().Single(b => (string?)b["type"] == "table");
        var rows = table["rows"]!.AsArray().Skip(1).Select(r => (string?)r![0]!["text"]).ToList();
        Assert.Equal(["r-7kq2", "g-0001", "g-0000"], rows);
        var first = table["rows"]![1]!.AsArray().Select(c => (string?)c!["text"]).ToList();
        Assert.Equal(["r-7kq2", "pending 0/2", "alice", "an4lyt1csro0", "prod", "read_branch, connect_production_branch", "2026-11-28 12:30 UTC (in 30m)", "INC-7 replica lag"], first);
        Assert.Contains("1 pending access requests, 2 active grants", message.Text);
    }

    [Fact]
    public void An_empty_list_says_so()
    {
        var message = Assert.Single(Render(new AccessListResult([], Now)));

        Assert.Contains("No pending access requests or active grants", message.Blocks.Json().ToJsonString());
        Assert.DoesNotContain("\"table\"", message.Blocks.Json().ToJsonString());
    }

    [Fact]
    public void A_long_list_stays_within_slacks_limits_in_both_styles()
    {
        foreach (var style in new[] { SlackTableStyle.Table, SlackTableStyle.CodeBlock })
        {
            var messages = Render(List(250), style, maxMessages: 3);

            Assert.InRange(messages.Count, 1, 3);
            Assert.All(messages, m => Assert.Empty(SlackMessageLimits.Violations(m)));
        }
    }

    [Fact]
    public void Code_block_style_shows_the_same_rows()
    {
        var message = Assert.Single(Render(List(1), SlackTableStyle.CodeBlock));

        var text = message.Blocks.Json().Raw();
        Assert.Contains("r-7kq2", text);
        Assert.Contains("g-0000", text);
        Assert.Contains("```", text);
    }
}
