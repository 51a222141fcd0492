using System.Net;
using System.Text.Json.Nodes;
using PscaleBot.Bot.Tests.Teams.Support;

namespace PscaleBot.Bot.Tests.Teams;

/// <summary>Starts the local OpenID server, the fake connector and the bot host for each test.</summary>
public abstract class TeamsTestBase : IAsyncLifetime
{
    protected LocalOpenIdServer OpenId { get; private set; } = null!;
    protected FakeConnectorServer Connector { get; private set; } = null!;
    protected TeamsBotFactory Factory { get; private set; } = null!;
    protected HttpClient Client { get; private set; } = null!;

    protected virtual Dictionary<string, string?>? Overrides => null;

    public async Task InitializeAsync()
    {
        OpenId = await LocalOpenIdServer.StartAsync();
        Connector = await FakeConnectorServer.StartAsync();
        Factory = new TeamsBotFactory(OpenId, Overrides);
        Client = Factory.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        await Connector.DisposeAsync();
        await OpenId.DisposeAsync();
    }

    protected async Task<HttpResponseMessage> SendAsync(JsonObject activity, string? bearer, string? remoteIp = null) =>
        await Client.SendAsync(ActivityJson.Post("/api/messages", activity, bearer, remoteIp));

    protected async Task<HttpResponseMessage> SendValidAsync(JsonObject activity) =>
        await SendAsync(activity, OpenId.MintBotFramework(activity["serviceUrl"]!.GetValue<string>()));

    /// <summary>
    /// Sends a valid message and waits for its answer. With one worker, everything queued before it has run
    /// by then, so "the pipeline saw only this one" proves earlier requests ran nothing.
    /// </summary>
    protected async Task<string> SendSentinelAsync()
    {
        var sentinel = ActivityJson.Message(Connector.ServiceUrl, "<at>pscale</at> service-token show-access sentinel");
        var response = await SendValidAsync(sentinel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = sentinel["id"]!.GetValue<string>();
        await Connector.WaitForAsync(c => c.ActivityType == "message" && c.DecodedPath.EndsWith("/activities/" + id, StringComparison.Ordinal));
        return id;
    }
}
