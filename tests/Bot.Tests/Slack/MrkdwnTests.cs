using PscaleBot.Bot.Slack.Rendering;

namespace PscaleBot.Bot.Tests.Slack;

public sealed class MrkdwnTests
{
    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("read_branch", "read_branch")]
    [InlineData("a < b", "a &lt; b")]
    [InlineData("<!channel> & <@U1>", "&lt;!channel&gt; &amp; &lt;@U1&gt;")]
    [InlineData("&amp;", "&amp;amp;")]
    [InlineData(">", "&gt;")]
    [InlineData("tail &", "tail &amp;")]
    public void Escape_replaces_exactly_the_three_characters_Slack_reads(string? text, string escaped) =>
        Assert.Equal(escaped, Mrkdwn.Escape(text));

    [Fact]
    public void Text_with_nothing_to_escape_is_returned_as_it_is()
    {
        // Most cells hold none of the three characters: no copy is made for them.
        const string Text = "pscale-bot token 7kq2 (prod)";
        Assert.Same(Text, Mrkdwn.Escape(Text));
    }
}
