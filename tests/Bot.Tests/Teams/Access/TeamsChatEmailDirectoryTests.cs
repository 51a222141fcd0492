using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PscaleBot.Bot.Teams;
using PscaleBot.Bot.Teams.Access;
using PscaleBot.Bot.Teams.Connector;
using PscaleBot.Bot.Tests.Chat.Stores;
using PscaleBot.Bot.Tests.Teams.Support;
using PscaleBot.Commands.Model;

namespace PscaleBot.Bot.Tests.Teams.Access;

/// <summary>A Teams requester's mail and user principal name, read from the Bot Connector's roster over real HTTP.</summary>
public sealed class TeamsChatEmailDirectoryTests : IAsyncLifetime
{
    private static readonly ChatIdentity Alice = new(ChatPlatform.Teams, $"teams:user:{ActivityJson.UserAad}", [], "Alice Example");

    private readonly SqliteStoreEngine engine = new();
    private FakeConnectorServer connector = null!;
    private ServiceProvider services = null!;

    public async Task InitializeAsync()
    {
        connector = await FakeConnectorServer.StartAsync();
        var options = new TeamsOptions { AppId = LocalOpenIdServer.AppId, AppTenantId = LocalOpenIdServer.TenantId, AllowLoopbackServiceUrls = true };
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddSingleton<TimeProvider>(new FakeTimeProvider());
        collection.AddSingleton<IOptionsMonitor<TeamsOptions>>(new StaticMonitor(options));
        collection.AddSingleton<ServiceUrlPolicy>();
        collection.AddSingleton<IBotConnectorTokenSource, FakeTokenSource>();
        collection.AddBotConnectorClient();
        collection.AddSingleton<ITeamsConversationStore>(new SqlTeamsConversationStore(engine.Open(TeamsConversationSchema.Schemas), TimeProvider.System));
        collection.AddSingleton(sp => new TeamsConversationDirectory(
            sp.GetRequiredService<ITeamsConversationStore>(), sp.GetRequiredService<IOptionsMonitor<TeamsOptions>>(), NullLogger<TeamsConversationDirectory>.Instance));
        collection.AddSingleton<TeamsChatEmailDirectory>();
        services = collection.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await connector.DisposeAsync();
        await engine.DisposeAsync();
    }

    private TeamsChatEmailDirectory Emails => services.GetRequiredService<TeamsChatEmailDirectory>();

    private Task SeeAsync(string conversationType) => services.GetRequiredService<TeamsConversationDirectory>()
        .RememberAsync(TeamsWire.Parse(ActivityJson.Message(connector.ServiceUrl, "hello", conversationType)), CancellationToken.None);

    [Fact]
    public async Task A_user_seen_in_a_channel_is_looked_up_in_a_1_to_1_chat_the_bot_opens_and_both_addresses_come_back()
    {
        connector.Members[ActivityJson.UserAad] = ("alice@example.com", "alice.example@contoso.onmicrosoft.com");
        await SeeAsync("channel");

        var emails = await Emails.FindEmailsAsync(Alice, CancellationToken.None);

        Assert.Equal(["alice@example.com", "alice.example@contoso.onmicrosoft.com"], emails);
        var opened = Assert.Single(connector.Calls, c => c.Method == "POST" && c.DecodedPath.EndsWith("/v3/conversations", StringComparison.Ordinal));
        var read = Assert.Single(connector.Calls, c => c.Method == "GET");
        Assert.EndsWith($"/v3/conversations/{opened.AnsweredId}/members/{ActivityJson.UserAad}", read.DecodedPath, StringComparison.Ordinal);
        Assert.Equal("Bearer " + FakeTokenSource.Token, read.Authorization);
    }

    [Fact]
    public async Task A_known_1_to_1_chat_is_used_as_it_is_and_a_mail_equal_to_the_principal_name_counts_once()
    {
        connector.Members[ActivityJson.UserAad] = ("Alice@Example.com", "alice@example.com");
        await SeeAsync("personal");

        var emails = await Emails.FindEmailsAsync(Alice, CancellationToken.None);

        Assert.Equal(["Alice@Example.com"], emails);
        Assert.DoesNotContain(connector.Calls, c => c.Method == "POST");
        Assert.Single(connector.Calls, c => c.Method == "GET" && c.DecodedPath.Contains("/v3/conversations/a:personal-chat-1/members/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Someone_the_roster_does_not_know_has_no_address()
    {
        await SeeAsync("personal");
        Assert.Empty(await Emails.FindEmailsAsync(Alice, CancellationToken.None));
    }

    [Fact]
    public async Task A_user_the_bot_has_never_seen_has_no_address_and_nothing_is_called()
    {
        Assert.Empty(await Emails.FindEmailsAsync(Alice, CancellationToken.None));
        Assert.Empty(connector.Calls);
    }

    [Fact]
    public async Task A_roster_that_fails_is_an_error_the_on_call_roster_turns_into_a_reason_for_approvers()
    {
        connector.Members[ActivityJson.UserAad] = ("alice@example.com", null);
        connector.MemberStatus = 403;
        await SeeAsync("personal");

        var failure = await Assert.ThrowsAsync<BotConnectorException>(() => Emails.FindEmailsAsync(Alice, CancellationToken.None));
        Assert.Equal(403, failure.StatusCode);
    }
}
