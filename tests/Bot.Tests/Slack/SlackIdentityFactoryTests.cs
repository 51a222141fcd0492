using PscaleBot.Bot.Slack.Commands;
using PscaleBot.Bot.Slack.Identity;
using PscaleBot.Commands.Model;

namespace PscaleBot.Bot.Tests.Slack;

public sealed class SlackIdentityFactoryTests
{
    [Fact]
    public void Caller_ids_are_qualified_and_names_are_only_for_display()
    {
        var caller = SlackIdentityFactory.Caller("U123", "alice", ["S1", "S2", "S1"], "T9");
        Assert.Equal(ChatPlatform.Slack, caller.Platform);
        Assert.Equal("slack:user:U123", caller.UserId);
        Assert.Equal(["slack:usergroup:S1", "slack:usergroup:S2"], caller.GroupIds);
        Assert.Equal("alice", caller.DisplayName);
        Assert.Equal("slack:team:T9", caller.TenantId);
    }

    [Fact]
    public void Channels_are_keyed_by_id()
    {
        var place = SlackIdentityFactory.Place("C0123", "db-oncall");
        Assert.Equal(["slack:channel:C0123"], place.Ids);
        Assert.False(place.IsDirect);
        Assert.Equal("#db-oncall", place.DisplayName);
    }

    [Theory]
    [InlineData("D0456", "directmessage")]
    [InlineData("D0456", null)]
    [InlineData("C0456", "directmessage")]
    public void Direct_messages_are_direct(string channelId, string? name)
    {
        var place = SlackIdentityFactory.Place(channelId, name);
        Assert.Equal(["direct"], place.Ids);
        Assert.True(place.IsDirect);
    }

    [Fact]
    public void Group_dms_and_private_channels_are_channels_not_direct()
    {
        var mpim = SlackIdentityFactory.Place("G0789", "mpdm-a--b-1");
        Assert.Equal(["slack:channel:G0789"], mpim.Ids);
        Assert.False(mpim.IsDirect);
        Assert.Equal("slack:channel:G0790", SlackIdentityFactory.Place("G0790", "privategroup").PrimaryId);
    }

    [Fact]
    public void Slash_command_fields_are_read_with_enterprise_values()
    {
        var fields = new Dictionary<string, string>
        {
            ["team_id"] = "T1", ["enterprise_id"] = "E1", ["is_enterprise_install"] = "true", ["channel_id"] = "C1",
            ["user_id"] = "W1", ["command"] = "/pscale", ["text"] = "service-token list", ["trigger_id"] = "1.2.3",
        };
        var command = SlackSlashCommand.FromFields(n => fields.GetValueOrDefault(n));
        Assert.NotNull(command);
        Assert.Equal("E1", command.EnterpriseId);
        Assert.True(command.IsEnterpriseInstall);
        Assert.Equal("W1", command.UserId);
        Assert.Null(command.ResponseUrl);
    }

    [Theory]
    [InlineData("team_id")]
    [InlineData("channel_id")]
    [InlineData("user_id")]
    public void A_command_without_an_id_is_refused(string missing)
    {
        var fields = new Dictionary<string, string> { ["team_id"] = "T1", ["channel_id"] = "C1", ["user_id"] = "U1" };
        fields.Remove(missing);
        Assert.Null(SlackSlashCommand.FromFields(n => fields.GetValueOrDefault(n)));
    }
}
