using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PscaleBot.Bot.Teams.Connector;
using PscaleBot.Bot.Tests.Teams.Support;
using PscaleBot.Commands.Audit;
using PscaleBot.EndToEnd.Tests.Support;

namespace PscaleBot.EndToEnd.Tests.Teams;

/// <summary>
/// The real bot with Teams on (over Kestrel), its token metadata served by a local OpenID provider with its
/// own keys, replies going to a local fake Bot Connector, commands running against a real sandbox.
/// </summary>
public abstract class TeamsEndToEndBase : IAsyncLifetime
{
    /// <summary>The Entra object id of an approver (db-admin in the admins' channel).</summary>
    public const string ApproverAad = "00000000-0000-0000-0000-0000000000b2";

    public const string AdminsChannelId = "19:admins@thread.tacv2";

    protected LocalOpenIdServer OpenId { get; private set; } = null!;
    protected FakeConnectorServer Connector { get; private set; } = null!;
    protected BotUnderTest Bot { get; private set; } = null!;
    protected HttpClient Client { get; private set; } = null!;
    protected SandboxApi Sandbox { get; private set; } = null!;
    protected OutboundHttpRecorder Outbound { get; } = new();

    private Dictionary<string, string?> settings = [];

    /// <summary>The caller (ActivityJson's user) is an operator in #dbops and in 1:1 chats.</summary>
    protected virtual string PolicyYaml => $"""
        roles:
          operator:
            commands: [list, show, show-access, add-access, delete-access, create, access-list]
            databases: ["*"]
            permissions: ["*"]
        bindings:
          - where: teams:channel:{ActivityJson.ChannelId}
            who: teams:user:{ActivityJson.UserAad}
            roles: [operator]
          - where: direct
            who: teams:user:{ActivityJson.UserAad}
            roles: [operator]
        """;

    /// <summary>Starts further fakes a test class needs, before <see cref="ExtraSettings"/> is read.</summary>
    protected virtual Task StartDependenciesAsync() => Task.CompletedTask;

    /// <summary>Stops what <see cref="StartDependenciesAsync"/> started.</summary>
    protected virtual ValueTask StopDependenciesAsync() => ValueTask.CompletedTask;

    /// <summary>Further service overrides of a test class.</summary>
    protected virtual void ConfigureBotServices(IServiceCollection services)
    {
    }

    /// <summary>Further settings, read after the fake connector has started.</summary>
    protected virtual Dictionary<string, string?> ExtraSettings => [];

    public async Task InitializeAsync()
    {
        OpenId = await LocalOpenIdServer.StartAsync();
        Connector = await FakeConnectorServer.StartAsync();
        await StartDependenciesAsync();
        settings = new Dictionary<string, string?>
        {
            ["Teams:Enabled"] = "true",
            ["Teams:AppId"] = LocalOpenIdServer.AppId,
            ["Teams:AppPassword"] = "not-a-real-password",
            ["Teams:AppTenantId"] = LocalOpenIdServer.TenantId,
            ["Teams:BotFrameworkOpenIdMetadataUrl"] = OpenId.BotFrameworkMetadataUrl,
            ["Teams:EntraOpenIdMetadataUrlTemplate"] = OpenId.EntraMetadataTemplate,
            ["Teams:AllowLoopbackServiceUrls"] = "true",
            ["Teams:Webhook:Enabled"] = "true",
            ["Teams:Webhook:Secret"] = TeamsBotFactory.WebhookSecret,
            ["BackgroundWork:MaxConcurrency"] = "1",
        };
        foreach (var (key, value) in ExtraSettings)
        {
            settings[key] = value;
        }

        await StartBotAsync(dataDirectory: null);
    }

    /// <summary>Stops the bot (and its sandbox) and starts it again on the same data folder, as a restart or redeploy does.</summary>
    protected async Task RestartBotAsync()
    {
        var dataDirectory = Bot.DataDirectory;
        Client.Dispose();
        Sandbox.Dispose();
        await Bot.DisposeAsync();
        await StartBotAsync(dataDirectory);
    }

    private async Task StartBotAsync(string? dataDirectory)
    {
        Bot = await BotUnderTest.StartAsync(new BotSetup
        {
            PolicyYaml = PolicyYaml,
            Settings = settings,
            ConfigureServices = services =>
            {
                // The only fake inside the bot: outbound connector tokens (MSAL would call Entra).
                services.RemoveAll<IBotConnectorTokenSource>();
                services.AddSingleton<IBotConnectorTokenSource, FakeTokenSource>();
                Outbound.Install(services);
                ConfigureBotServices(services);
            },
        }, dataDirectory);
        Client = Bot.CreateClient();
        Sandbox = new SandboxApi(Bot.Sandbox);
        // Tests count what a request makes the bot send; the start-up credential check is not theirs.
        Outbound.Clear();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        Sandbox.Dispose();
        await Bot.DisposeAsync();
        await Connector.DisposeAsync();
        await OpenId.DisposeAsync();
        await StopDependenciesAsync();
    }

    protected Task<HttpResponseMessage> SendAsync(JsonObject activity, string? bearer) =>
        Client.SendAsync(ActivityJson.Post("/api/messages", activity, bearer));

    protected Task<HttpResponseMessage> SendValidAsync(JsonObject activity) =>
        SendAsync(activity, OpenId.MintBotFramework(activity["serviceUrl"]!.GetValue<string>()));

    /// <summary>Sends <paramref name="text"/> as an @mention in #dbops (or another conversation) and waits for the first reply to it.</summary>
    protected async Task<ConnectorCall> AskAsync(string text, string conversationType = "channel")
    {
        var activity = ActivityJson.Message(Connector.ServiceUrl, "<at>pscale</at> " + text, conversationType);
        var response = await SendValidAsync(activity);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = activity["id"]!.GetValue<string>();
        return await Connector.WaitForAsync(c => c.ActivityType == "message" && c.DecodedPath.EndsWith("/activities/" + id, StringComparison.Ordinal));
    }

    protected async Task<IReadOnlyList<AuditEntry>> AuditAsync()
    {
        using var scope = Bot.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<IAuditLog>().RecentAsync(500, CancellationToken.None);
    }

    /// <summary>The rows of a permission card's table (header skipped): resource → permissions still held.</summary>
    protected static Dictionary<string, SortedSet<string>> PermissionRows(JsonObject card) =>
        TableRows(card).ToDictionary(
            r => r[0],
            r => new SortedSet<string>(
                r[2].Split(", ", StringSplitOptions.RemoveEmptyEntries)
                    .Where(p => !p.StartsWith('-'))
                    .Select(p => p.TrimStart('+')),
                StringComparer.Ordinal));

    /// <summary>The text of every data row of the card's Table.</summary>
    protected static List<string[]> TableRows(JsonObject card)
    {
        Assert.Equal("AdaptiveCard", card["type"]!.GetValue<string>());
        Assert.Equal("1.5", card["version"]!.GetValue<string>());
        var table = card["body"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "Table")!;
        return [.. table["rows"]!.AsArray().Skip(1).Select(row => row!["cells"]!.AsArray()
            .Select(cell => cell!["items"]![0]!["text"]!.GetValue<string>()).ToArray())];
    }

    protected static void AssertSameGrants(Dictionary<string, SortedSet<string>> expected, Dictionary<string, SortedSet<string>> actual)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (resource, permissions) in expected)
        {
            Assert.Equal(permissions, actual[resource]);
        }
    }
}
