using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using PscaleBot.Bot.Teams;
using PscaleBot.Bot.Teams.Access;
using PscaleBot.Bot.Teams.Protocol;
using PscaleBot.Bot.Tests.Chat.Stores;
using PscaleBot.Bot.Tests.Teams.Support;

namespace PscaleBot.Bot.Tests.Teams.Access;

public sealed class TeamsConversationDirectoryTests : IAsyncLifetime
{
    private const string ServiceUrl = "https://smba.trafficmanager.net/emea/";

    private sealed class Monitor(TeamsOptions value) : IOptionsMonitor<TeamsOptions>
    {
        public TeamsOptions CurrentValue => value;

        public TeamsOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<TeamsOptions, string?> listener) => null;
    }

    private static Activity Parse(System.Text.Json.Nodes.JsonObject json) => TeamsWire.Parse(json);

    private readonly SqliteStoreEngine engine = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await engine.DisposeAsync();

    private TeamsConversationDirectory Directory(string? configuredServiceUrl = null) =>
        Directory(new SqlTeamsConversationStore(engine.Open(TeamsConversationSchema.Schemas), TimeProvider.System), NullLogger<TeamsConversationDirectory>.Instance, configuredServiceUrl);

    private static TeamsConversationDirectory Directory(ITeamsConversationStore store, ILogger<TeamsConversationDirectory> logger, string? configuredServiceUrl = null) =>
        new(store, new Monitor(new TeamsOptions { AppId = LocalOpenIdServer.AppId, AppTenantId = LocalOpenIdServer.TenantId, ServiceUrl = configuredServiceUrl }), logger);

    [Fact]
    public async Task A_channel_message_makes_the_channel_its_team_and_its_sender_reachable()
    {
        var directory = Directory();

        await directory.RememberAsync(Parse(ActivityJson.Message(ServiceUrl)), CancellationToken.None);

        var channel = (await directory.FindPlaceAsync($"teams:channel:{ActivityJson.ChannelId}", CancellationToken.None))!;
        Assert.Equal(ActivityJson.ChannelId, channel.ConversationId); // the channel, not the thread
        Assert.Equal(ServiceUrl, channel.ServiceUrl);
        Assert.Null(channel.ActivityId);
        Assert.Equal(ActivityJson.TeamId, (await directory.FindPlaceAsync($"teams:team:{ActivityJson.TeamId}", CancellationToken.None))!.ConversationId);
        var user = (await directory.FindUserAsync($"teams:user:{ActivityJson.UserAad}", CancellationToken.None))!;
        Assert.Equal("29:user-mri", user.User.Id);
        Assert.Equal("", user.ConversationId); // no 1:1 chat known yet: the notifier opens one
        Assert.Equal(LocalOpenIdServer.TenantId, user.TenantId);
    }

    [Fact]
    public async Task A_personal_message_remembers_the_1_to_1_chat_and_a_later_channel_message_keeps_it()
    {
        var directory = Directory();

        await directory.RememberAsync(Parse(ActivityJson.Message(ServiceUrl, "whoami", "personal")), CancellationToken.None);
        await directory.RememberAsync(Parse(ActivityJson.Message(ServiceUrl)), CancellationToken.None);

        Assert.Equal("a:personal-chat-1", (await directory.FindUserAsync($"teams:user:{ActivityJson.UserAad}", CancellationToken.None))!.ConversationId);
    }

    [Fact]
    public async Task Unseen_places_and_users_are_unreachable_without_a_configured_service_url()
    {
        var directory = Directory();

        Assert.Null((await directory.FindPlaceAsync("teams:channel:19:admins@thread.tacv2", CancellationToken.None)));
        Assert.Null((await directory.FindUserAsync("teams:user:00000000-0000-0000-0000-0000000000b2", CancellationToken.None)));
        Assert.Null((await directory.FindPlaceAsync("direct", CancellationToken.None)));
    }

    [Fact]
    public async Task With_a_configured_service_url_unseen_channels_and_users_are_reachable()
    {
        var directory = Directory(ServiceUrl);

        var channel = (await directory.FindPlaceAsync("teams:channel:19:admins@thread.tacv2", CancellationToken.None))!;
        var user = (await directory.FindUserAsync("teams:user:00000000-0000-0000-0000-0000000000b2", CancellationToken.None))!;

        Assert.Equal(("19:admins@thread.tacv2", ServiceUrl, "28:" + LocalOpenIdServer.AppId), (channel.ConversationId, channel.ServiceUrl, channel.Bot.Id));
        Assert.Equal("00000000-0000-0000-0000-0000000000b2", user.User.Id);
        Assert.Equal(LocalOpenIdServer.TenantId, user.TenantId);
        Assert.Null((await directory.FindPlaceAsync("slack:channel:C1", CancellationToken.None)));
    }

    [Fact]
    public async Task A_restarted_bot_still_reaches_the_channel_and_the_1_to_1_chat_it_saw_before()
    {
        await Directory().RememberAsync(Parse(ActivityJson.Message(ServiceUrl, "whoami", "personal")), CancellationToken.None);
        await Directory().RememberAsync(Parse(ActivityJson.Message(ServiceUrl)), CancellationToken.None);

        var restarted = Directory();

        Assert.Equal(ActivityJson.ChannelId, (await restarted.FindPlaceAsync($"teams:channel:{ActivityJson.ChannelId}", CancellationToken.None))!.ConversationId);
        var user = (await restarted.FindUserAsync($"teams:user:{ActivityJson.UserAad}", CancellationToken.None))!;
        Assert.Equal(("a:personal-chat-1", "29:user-mri", ServiceUrl), (user.ConversationId, user.User.Id, user.ServiceUrl));
    }

    [Fact]
    public async Task A_store_that_cannot_be_written_is_logged_as_a_sentence_and_the_activity_goes_on()
    {
        var blocker = Path.Combine(Path.GetTempPath(), "pscale-not-a-folder-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(blocker, "a file, not a folder");
        try
        {
            using var database = new PscaleBot.Bot.Chat.Stores.SqliteStoreDatabase(Path.Combine(blocker, "access.db"), TeamsConversationSchema.Schemas, TimeProvider.System, null);
            var logger = new FakeLogger<TeamsConversationDirectory>();
            var directory = Directory(new SqlTeamsConversationStore(database, TimeProvider.System), logger);

            await directory.RememberAsync(Parse(ActivityJson.Message(ServiceUrl)), CancellationToken.None);

            var record = Assert.Single(logger.Collector.GetSnapshot());
            Assert.Equal(LogLevel.Warning, record.Level);
            Assert.StartsWith("The Teams conversation reference could not be kept (its folder cannot be created or written", record.Message, StringComparison.Ordinal);
            Assert.Null(record.Exception);
        }
        finally
        {
            File.Delete(blocker);
        }
    }
}
