using System.Net;
using System.Text.Json.Nodes;
using PscaleBot.Bot.Tests.Teams.Support;

namespace PscaleBot.EndToEnd.Tests.Teams;

/// <summary>Every forged or misdirected token is refused with 401 before anything runs, over real HTTP.</summary>
public sealed class TeamsAuthenticationEndToEndTests : TeamsEndToEndBase
{
    public enum Forgery
    {
        WrongIssuer,
        WrongAudience,
        Expired,
        BadSignature,
        UnknownKey,
        MissingEndorsement,
        ServiceUrlMismatch,
        WrongTenant,
    }

    [Theory]
    [InlineData(Forgery.WrongIssuer)]
    [InlineData(Forgery.WrongAudience)]
    [InlineData(Forgery.Expired)]
    [InlineData(Forgery.BadSignature)]
    [InlineData(Forgery.UnknownKey)]
    [InlineData(Forgery.MissingEndorsement)]
    [InlineData(Forgery.ServiceUrlMismatch)]
    [InlineData(Forgery.WrongTenant)]
    public async Task An_invalid_token_gets_401_and_nothing_is_executed(Forgery forgery)
    {
        // A write, so "nothing executed" would show in the sandbox, the audit and the connector.
        var activity = ActivityJson.Message(Connector.ServiceUrl, "<at>pscale</at> service-token add-access ci7deploy0a1 connect_branch --database staging");
        var token = Mint(forgery, activity);

        var response = await SendAsync(activity, token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        // One background worker: once a valid message after it is answered, anything the forged one queued has run.
        await AskAsync("service-token show-access an4lyt1csro0");
        var forgedId = activity["id"]!.GetValue<string>();
        Assert.DoesNotContain(Connector.Calls, c => c.DecodedPath.Contains(forgedId, StringComparison.Ordinal));
        Assert.DoesNotContain(await AuditAsync(), e => e.Command.Contains("ci7deploy0a1", StringComparison.Ordinal));
        Assert.DoesNotContain(Outbound.To(Bot.Sandbox.BaseAddress), r => r.Uri.AbsolutePath.Contains("ci7deploy0a1", StringComparison.Ordinal));
        Assert.DoesNotContain("connect_branch", (await Sandbox.GrantsByResourceAsync("ci7deploy0a1"))["staging"]);
    }

    [Fact]
    public async Task A_refused_request_alone_calls_nothing_downstream()
    {
        var activity = ActivityJson.Message(Connector.ServiceUrl);

        var response = await SendAsync(activity, OpenId.MintBotFramework(Connector.ServiceUrl, issuer: "https://api.botframework.evil"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(Outbound.To(Bot.Sandbox.BaseAddress));
        Assert.Empty(Connector.Calls);
        Assert.Empty(await AuditAsync());
    }

    private string Mint(Forgery forgery, JsonObject activity)
    {
        var url = Connector.ServiceUrl;
        switch (forgery)
        {
            case Forgery.WrongIssuer:
                return OpenId.MintBotFramework(url, issuer: "https://api.botframework.evil");
            case Forgery.WrongAudience:
                return OpenId.MintBotFramework(url, audience: "99999999-2222-3333-4444-555555555555");
            case Forgery.Expired:
                return OpenId.MintBotFramework(url, now: DateTime.UtcNow.AddHours(-2), lifetime: TimeSpan.FromMinutes(110));
            case Forgery.BadSignature:
                return OpenId.MintBotFramework(url, key: LocalOpenIdServer.NewKey(OpenId.BotFrameworkKey.KeyId));
            case Forgery.UnknownKey:
                return OpenId.MintBotFramework(url, key: LocalOpenIdServer.NewKey("never-published"));
            case Forgery.MissingEndorsement:
                // The published key is endorsed for msteams only.
                activity["channelId"] = "webchat";
                return OpenId.MintBotFramework(url);
            case Forgery.ServiceUrlMismatch:
                return OpenId.MintBotFramework("https://smba.trafficmanager.net/amer/");
            case Forgery.WrongTenant:
                activity["channelData"]!["tenant"]!["id"] = "ffffffff-0000-0000-0000-000000000000";
                activity["conversation"]!["tenantId"] = "ffffffff-0000-0000-0000-000000000000";
                return OpenId.MintBotFramework(url);
            default:
                throw new ArgumentOutOfRangeException(nameof(forgery));
        }
    }
}
