using System.Net;
using PscaleBot.Bot.Tests.Teams.Support;

namespace PscaleBot.EndToEnd.Tests.Teams;

/// <summary>Every forged or misdirected token is refused with 401 before anything runs, over real HTTP.</summary>
public sealed class TeamsAuthenticationEndToEndTests : TeamsEndToEndBase
{
    [Theory]
    [MemberData(nameof(ForgedTokens.All), MemberType = typeof(ForgedTokens))]
    public async Task An_invalid_token_gets_401_and_nothing_is_executed(Forgery forgery)
    {
        // A write, so "nothing executed" would show in the sandbox, the audit and the connector.
        var activity = ActivityJson.Message(Connector.ServiceUrl, "<at>pscale</at> service-token add-access ci7deploy0a1 connect_branch --database staging");
        using var request = ForgedTokens.Request(forgery, OpenId, Connector.ServiceUrl, activity);

        var response = await Client.SendAsync(request);

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
}
