using Microsoft.Extensions.Options;
using PscaleBot.Bot.Teams;
using PscaleBot.Bot.Teams.Access;
using PscaleBot.Bot.Teams.Protocol;
using PscaleBot.Bot.Tests.Teams.Support;

namespace PscaleBot.Bot.Tests.Teams.Access;

public sealed class TeamsConversationDirectoryTests
{
    private const string ServiceUrl = "https://smba.trafficmanager.net/emea/";

    private sealed class Monitor(TeamsOptions value) : IOptionsMonitor<TeamsOptions>
    {
        public TeamsOptions CurrentValue => value;

        public TeamsOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<TeamsOptions, string?> listener) => null;
    }

    private static Activity Parse(System.Text.Json.Nodes.JsonObject json) => TeamsWire.Parse(json);

    private static TeamsConversationDirectory Directory(string? configuredServiceUrl = null) =>
        new(new Monitor(new TeamsOptions { AppId = LocalOpenIdServer.AppId, AppTenantId = LocalOpenIdServer.TenantId, ServiceUrl = configuredServiceUrl }));

    [Fact]
    public void A_channel_message_makes_the_channel_its_team_and_its_sender_reachable()
    {
        var directory = Directory();

        directory.Remember(Parse(ActivityJson.Message(ServiceUrl)));

        var channel = directory.FindPlace($"teams:channel:{ActivityJson.ChannelId}")!;
        Assert.Equal(ActivityJson.ChannelId, channel.ConversationId); // the channel, not the thread
        Assert.Equal(ServiceUrl, channel.ServiceUrl);
        Assert.Null(channel.ActivityId);
        Assert.Equal(ActivityJson.TeamId, directory.FindPlace($"teams:team:{ActivityJson.TeamId}")!.ConversationId);
        var user = directory.FindUser($"teams:user:{ActivityJson.UserAad}")!;
        Assert.Equal("29:user-mri", user.User.Id);
        Assert.Equal("", user.ConversationId); // no 1:1 chat known yet: the notifier opens one
        Assert.Equal(LocalOpenIdServer.TenantId, user.TenantId);
    }

    [Fact]
    public void A_personal_message_remembers_the_1_to_1_chat_and_a_later_channel_message_keeps_it()
    {
        var directory = Directory();

        directory.Remember(Parse(ActivityJson.Message(ServiceUrl, "whoami", "personal")));
        directory.Remember(Parse(ActivityJson.Message(ServiceUrl)));

        Assert.Equal("a:personal-chat-1", directory.FindUser($"teams:user:{ActivityJson.UserAad}")!.ConversationId);
    }

    [Fact]
    public void Unseen_places_and_users_are_unreachable_without_a_configured_service_url()
    {
        var directory = Directory();

        Assert.Null(directory.FindPlace("teams:channel:19:admins@thread.tacv2"));
        Assert.Null(directory.FindUser("teams:user:00000000-0000-0000-0000-0000000000b2"));
        Assert.Null(directory.FindPlace("direct"));
    }

    [Fact]
    public void With_a_configured_service_url_unseen_channels_and_users_are_reachable()
    {
        var directory = Directory(ServiceUrl);

        var channel = directory.FindPlace("teams:channel:19:admins@thread.tacv2")!;
        var user = directory.FindUser("teams:user:00000000-0000-0000-0000-0000000000b2")!;

        Assert.Equal(("19:admins@thread.tacv2", ServiceUrl, "28:" + LocalOpenIdServer.AppId), (channel.ConversationId, channel.ServiceUrl, channel.Bot.Id));
        Assert.Equal("00000000-0000-0000-0000-0000000000b2", user.User.Id);
        Assert.Equal(LocalOpenIdServer.TenantId, user.TenantId);
        Assert.Null(directory.FindPlace("slack:channel:C1"));
    }
}
