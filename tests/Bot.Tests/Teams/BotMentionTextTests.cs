using PscaleBot.Bot.Teams.Inbound;
using PscaleBot.Bot.Teams.Protocol;
using PscaleBot.Bot.Tests.Teams.Support;

namespace PscaleBot.Bot.Tests.Teams;

public sealed class BotMentionTextTests
{
    private static Activity Parse(string text, bool withEntity = true, string mentionedId = ActivityJson.BotId, string mentionText = "<at>pscale</at>")
    {
        var json = ActivityJson.Message("https://smba.trafficmanager.net/amer/", text);
        json["entities"]![0]!["mentioned"]!["id"] = mentionedId;
        json["entities"]![0]!["text"] = mentionText;
        if (!withEntity)
        {
            json.Remove("entities");
        }

        return TeamsWire.Parse(json);
    }

    [Theory]
    [InlineData("<at>pscale</at> service-token show-access abc123def456", "service-token show-access abc123def456")]
    [InlineData("\r\n<at>pscale</at> service-token   list\r\n", "service-token list")]
    [InlineData("<at>PSCALE</at>&nbsp;service-token list", "service-token list")]
    [InlineData("<p><at>pscale</at> service-token show abc123def456</p>", "service-token show abc123def456")]
    [InlineData("<at>pscale</at> service-token create --name \"a &amp; b\"", "service-token create --name \"a & b\"")]
    [InlineData("service-token list <at>pscale</at>", "service-token list")]
    [InlineData("<at>pscale</at>", "")]
    public void The_bots_mention_is_removed_and_entities_decoded(string text, string expected) =>
        Assert.Equal(expected, BotMentionText.Extract(Parse(text)));

    [Theory]
    [InlineData(ActivityJson.BotId)]
    [InlineData(LocalOpenIdServer.AppId)]
    public void The_mention_entity_matches_the_bot_with_or_without_the_28_prefix(string mentionedId) =>
        Assert.Equal("service-token list", BotMentionText.Extract(Parse("service-token list <at>pscale</at>", mentionedId: mentionedId)));

    [Fact]
    public void A_mention_entity_of_someone_else_is_not_taken_for_the_bot() =>
        Assert.Equal("service-token list pscale", BotMentionText.Extract(Parse("service-token list <at>pscale</at>", mentionedId: "29:someone-else")));

    [Fact]
    public void A_leading_mention_is_removed_even_without_entities() =>
        Assert.Equal("service-token list", BotMentionText.Extract(Parse("<at>Pscale Bot</at> service-token list", withEntity: false)));

    [Fact]
    public void Other_peoples_mentions_stay_as_plain_names()
    {
        var activity = Parse("<at>pscale</at> whoami <at>Bob</at>") with
        {
            Entities =
            [
                new Entity { Type = "mention", Mentioned = new ChannelAccount { Id = ActivityJson.BotId }, Text = "<at>pscale</at>" },
                new Entity { Type = "mention", Mentioned = new ChannelAccount { Id = "29:bob" }, Text = "<at>Bob</at>" },
            ],
        };

        Assert.Equal("whoami Bob", BotMentionText.Extract(activity));
    }
}
