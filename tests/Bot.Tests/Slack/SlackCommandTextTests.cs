using PscaleBot.Bot.Slack.Commands;
using PscaleBot.Commands.Grammar;

namespace PscaleBot.Bot.Tests.Slack;

/// <summary>Slack's markup and entities are undone once, in the Slack adapter (moved here from the core's normaliser tests).</summary>
public sealed class SlackCommandTextTests
{
    private static readonly ServiceTokenCommandParser Parser = new();

    [Theory]
    [InlineData("<http://x.io|x.io>", "x.io")]
    [InlineData("<mailto:a@b.io|a@b.io>", "a@b.io")]
    [InlineData("<http://x.io>", "http://x.io")]
    [InlineData("<https://x.io/a?b=c&amp;d=e>", "https://x.io/a?b=c&d=e")]
    [InlineData("<@U123> list", "list")]
    [InlineData("<@U123|pscale> <@U999> hi", "hi")]
    [InlineData("say <@U777|bob>", "say @bob")]
    [InlineData("say <@U777>", "say @U777")]
    [InlineData("in <#C123|general>", "in #general")]
    [InlineData("<!here> now", "@here now")]
    [InlineData("<!subteam^S1|@oncall> now", "@oncall now")]
    [InlineData("a &amp; b &lt;c&gt;", "a & b <c>")]
    [InlineData("&amp;lt;", "&lt;")]
    [InlineData("&quot;x&quot; &#39;y&#39;", "\"x\" 'y'")]
    [InlineData("<TOKEN_ID>", "<TOKEN_ID>")]
    public void Markup_and_entities_are_undone_once(string input, string expected) =>
        Assert.Equal(expected, SlackCommandText.ToPlain(input));

    [Theory]
    [InlineData("<@U0BOT123> service-token list")]
    [InlineData("<@U0BOT123> pscale service-token list")]
    public void A_leading_bot_mention_is_not_part_of_the_command(string text) =>
        Assert.IsType<ListTokensCommand>(Parse(text));

    [Fact]
    public void Slack_link_markup_is_undone_before_parsing()
    {
        // Slack auto-links things that look like domains; the person typed "--org acme.io".
        Assert.Equal("acme.io", Assert.IsType<ListTokensCommand>(Parse("service-token list --org <http://acme.io|acme.io>")).Options.Org);
        var reason = Assert.IsType<AccessDenyCommand>(Parse("access deny r1 --reason \"mail <mailto:ops@acme.io|ops@acme.io> &lt;now&gt;\""));
        Assert.Equal("mail ops@acme.io <now>", reason.Reason);
        var bare = Assert.IsType<AccessDenyCommand>(Parse("access deny r1 --reason \"see <https://status.acme.io/x>\""));
        Assert.Equal("see https://status.acme.io/x", bare.Reason);
    }

    [Fact]
    public void Escaped_quotes_and_ampersands_reach_the_parser_as_typed()
    {
        var command = Assert.IsType<CreateTokenCommand>(Parse("service-token create --name &quot;a &amp; b&quot; --ttl 60"));
        Assert.Equal("a & b", command.Name);
    }

    [Fact]
    public void An_escaped_placeholder_is_recognised_as_the_placeholder()
    {
        var outcome = Parser.Parse(SlackCommandText.ToPlain("service-token show &lt;TOKEN_ID&gt;"));
        Assert.Equal("replace `<TOKEN_ID>` with a real token ID (`service-token list` shows them)", outcome.Error!.Message);
    }

    [Fact]
    public void Redacted_text_is_the_decoded_line()
    {
        var outcome = Parser.Parse(SlackCommandText.ToPlain("<@U0BOT> service-token add-access abc123 read_branch --database <http://prod.io|prod.io>"));
        Assert.Equal("service-token add-access abc123 read_branch --database prod.io", outcome.RedactedText);
    }

    private static BotCommand? Parse(string slackText) => Parser.Parse(SlackCommandText.ToPlain(slackText)).Command;
}
