using PscaleBot.Bot.Slack;

namespace PscaleBot.Bot.Tests.Slack;

public sealed class SlackOptionsValidatorTests
{
    private static string[] Failures(SlackOptions options) =>
        [.. new SlackOptionsValidator().Validate(null, options).Failures ?? []];

    [Fact]
    public void Disabled_slack_needs_nothing() => Assert.Empty(Failures(new SlackOptions()));

    [Fact]
    public void Http_mode_without_a_signing_secret_names_the_setting_and_its_environment_variable()
    {
        var failure = Assert.Single(Failures(new SlackOptions { Enabled = true, BotToken = "xoxb-1" }));
        Assert.Contains("Slack:SigningSecret", failure);
        Assert.Contains("Slack__SigningSecret", failure);
    }

    [Fact]
    public void A_missing_bot_token_is_named()
    {
        var failure = Assert.Single(Failures(new SlackOptions { Enabled = true, SigningSecret = "s" }));
        Assert.Contains("Slack:BotToken", failure);
    }

    [Fact]
    public void Socket_mode_needs_the_app_token_but_not_the_signing_secret()
    {
        var failure = Assert.Single(Failures(new SlackOptions { Enabled = true, Mode = SlackMode.SocketMode, BotToken = "xoxb-1" }));
        Assert.Contains("Slack:AppToken", failure);
    }

    [Fact]
    public void Tokens_of_the_wrong_kind_are_refused_with_the_expected_prefix()
    {
        var failures = Failures(new SlackOptions { Enabled = true, Mode = SlackMode.SocketMode, BotToken = "xapp-1", AppToken = "xoxb-1" });
        Assert.Contains(failures, f => f.Contains("Slack:BotToken") && f.Contains("xoxb-"));
        Assert.Contains(failures, f => f.Contains("Slack:AppToken") && f.Contains("xapp-"));
    }

    [Fact]
    public void Complete_settings_pass()
    {
        Assert.Empty(Failures(new SlackOptions { Enabled = true, SigningSecret = "s", BotToken = "xoxb-1" }));
        Assert.Empty(Failures(new SlackOptions { Enabled = true, Mode = SlackMode.SocketMode, BotToken = "xoxb-1", AppToken = "xapp-1" }));
    }

    [Fact]
    public void Workspace_and_organization_ids_must_look_like_slack_ids()
    {
        var failures = Failures(new SlackOptions
        {
            Enabled = true, SigningSecret = "s", BotToken = "xoxb-1", AllowedTeamIds = ["T0ACME", "acme.slack.com"], AllowedEnterpriseIds = ["T0NOTGRID"],
        });

        Assert.Equal(2, failures.Length);
        Assert.Contains(failures, f => f.Contains("Slack:AllowedTeamIds") && f.Contains("'acme.slack.com'") && f.Contains("Slack__AllowedTeamIds__0"));
        Assert.Contains(failures, f => f.Contains("Slack:AllowedEnterpriseIds") && f.Contains("'T0NOTGRID'"));
        Assert.Empty(Failures(new SlackOptions { Enabled = true, SigningSecret = "s", BotToken = "xoxb-1", AllowedTeamIds = ["T0ACME"], AllowedEnterpriseIds = ["E0GRID"] }));
    }
}
