using PscaleBot.Bot.Slack.Forms;
using PscaleBot.Bot.Slack.Interactions;

namespace PscaleBot.Bot.Tests.Slack.Forms;

public sealed class AccessFormValuesTests
{
    private static Dictionary<string, Dictionary<string, SlackInputValue>> State(string? token, string? database, string[] permissions, string? minutes, string? reason) => new()
    {
        ["token"] = new() { ["token"] = new SlackInputValue("external_select", null, token is null ? null : new SelectedOption(token), null) },
        ["database"] = new() { ["database"] = new SlackInputValue("static_select", null, database is null ? null : new SelectedOption(database), null) },
        ["permissions"] = new() { ["permissions"] = new SlackInputValue("multi_static_select", null, null, [.. permissions.Select(p => new SelectedOption(p))]) },
        ["duration"] = new() { ["duration"] = new SlackInputValue("static_select", null, minutes is null ? null : new SelectedOption(minutes), null) },
        ["reason"] = new() { ["reason"] = new SlackInputValue("plain_text_input", reason, null, null) },
    };

    [Fact]
    public void A_complete_form_becomes_the_typed_add_access_with_the_reason_as_one_quoted_word()
    {
        var form = AccessFormValues.Read(State("an4lyt1csro0", "prod", ["read_branch", "connect_production_branch"], "90", "INC-7 \"lag\"\n“urgent” --break-glass"));

        Assert.Empty(form.Problems());
        Assert.Equal(
            "service-token add-access an4lyt1csro0 read_branch connect_production_branch --database prod --for 1h30m --reason \"INC-7 'lag' 'urgent' --break-glass\"",
            form.CommandText());
    }

    [Theory]
    [InlineData(null, "prod", "read_branch", "60", "token")]
    [InlineData("abc; rm", "prod", "read_branch", "60", "token")]
    [InlineData("abc", "prod", null, "60", "permissions")]
    [InlineData("abc", "prod", "not_a_permission", "60", "permissions")]
    [InlineData("abc", null, "read_branch", "60", "database")]
    [InlineData("abc", "prod", "read_organization", "60", "permissions")]
    [InlineData("abc", "prod --org x", "read_branch", "60", "database")]
    [InlineData("abc", "prod", "read_branch", "1h", "duration")]
    [InlineData("abc", "prod", "read_branch", null, "duration")]
    public void What_cannot_become_a_command_is_named_under_its_field(string? token, string? database, string? permission, string? minutes, string block)
    {
        var form = AccessFormValues.Read(State(token, database, permission is null ? [] : [permission], minutes, null));

        Assert.Contains(block, form.Problems().Keys);
    }

    [Fact]
    public void Organization_permissions_need_no_database()
    {
        Assert.Empty(AccessFormValues.Read(State("abc", null, ["read_organization"], "30", null)).Problems());
    }

    [Theory]
    [InlineData("C0OPS ops", "C0OPS", "ops")]
    [InlineData("D0DM", "D0DM", null)]
    [InlineData("", null, null)]
    [InlineData("slack:channel:C1 x", null, null)]
    [InlineData("C0OPS\nU0ADMIN", null, null)]
    public void The_origin_survives_the_private_metadata_and_anything_else_is_no_channel(string metadata, string? channel, string? name)
    {
        var origin = AccessFormOrigin.FromMetadata(metadata);

        Assert.Equal(channel, origin.ChannelId);
        Assert.Equal(name, origin.ChannelName);
        Assert.Equal(channel is null || channel.StartsWith('D'), origin.Place.IsDirect);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("   ", true)]
    [InlineData("access request", true)]
    [InlineData("access  request ", true)]
    [InlineData("access request r-1", false)]
    [InlineData("access list", false)]
    [InlineData("help", false)]
    public void Only_no_text_or_access_request_alone_opens_the_form(string text, bool opens)
    {
        Assert.Equal(opens, SlackAccessForm.Opens(text));
    }
}
