using PscaleBot.Bot.Tests.Teams.Support;
using PscaleBot.Commands.Grammar;

namespace PscaleBot.Bot.Tests.Teams;

/// <summary>Teams HTML-encodes message text; the Teams adapter decodes it once and the core never again.</summary>
public sealed class TeamsTextDecodingTests : TeamsTestBase
{
    [Fact]
    public async Task A_typed_entity_reaches_the_parser_as_typed()
    {
        // The user typed "&lt;" literally; Teams delivers it as "&amp;lt;".
        await SendValidAsync(ActivityJson.Message(Connector.ServiceUrl, "<at>pscale</at> access deny r-7kq2 --reason &amp;lt;"));
        await SendSentinelAsync();

        var request = Factory.Pipeline.Prepared[0];
        Assert.Equal("access deny r-7kq2 --reason &lt;", request.Text);
        var command = Assert.IsType<AccessDenyCommand>(new ServiceTokenCommandParser().Parse(request.Text).Command);
        Assert.Equal("&lt;", command.Reason);
    }

    [Fact]
    public async Task Escaped_markup_reaches_the_parser_as_the_characters_typed()
    {
        await SendValidAsync(ActivityJson.Message(Connector.ServiceUrl, "<at>pscale</at> access deny r-7kq2 --reason &quot;a &amp; b &lt;c&gt;&quot;"));
        await SendSentinelAsync();

        var command = Assert.IsType<AccessDenyCommand>(new ServiceTokenCommandParser().Parse(Factory.Pipeline.Prepared[0].Text).Command);
        Assert.Equal("a & b <c>", command.Reason);
    }
}
