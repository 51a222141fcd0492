using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.TestHost;
using PscaleBot.Bot.Teams;
using PscaleBot.Bot.Tests.Hosting;
using PscaleBot.Bot.Tests.Teams.Support;

namespace PscaleBot.Bot.Tests.Teams;

public sealed class TeamsOptionsTests
{
    private static IReadOnlyList<string> Errors(TeamsOptions options) =>
        new TeamsOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];

    [Fact]
    public void Teams_is_off_by_default_and_then_needs_nothing() =>
        Assert.Empty(Errors(new TeamsOptions()));

    [Theory]
    [InlineData("Teams:AppId")]
    [InlineData("Teams:AppPassword")]
    [InlineData("Teams:AppTenantId")]
    public void Enabling_teams_without_credentials_names_the_missing_setting(string setting)
    {
        var options = new TeamsOptions { Enabled = true, AppId = "app", AppPassword = "pw", AppTenantId = "tenant" };
        _ = setting switch
        {
            "Teams:AppId" => options.AppId = null,
            "Teams:AppPassword" => options.AppPassword = " ",
            _ => options.AppTenantId = "",
        };

        Assert.Contains(Errors(options), e => e.StartsWith(setting + " is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Playground_mode_with_an_app_id_is_refused()
    {
        var options = new TeamsOptions { Enabled = true, AppId = "app", AppPassword = "pw", AppTenantId = "t", AllowUnauthenticatedLoopback = true };

        Assert.Contains(Errors(options), e => e.Contains("Teams:AllowUnauthenticatedLoopback works only while Teams:AppId is empty", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, "Teams:Webhook:Secret is required")]
    [InlineData("not base64!", "Teams:Webhook:Secret must be the base64")]
    public void The_webhook_needs_its_base64_secret(string? secret, string message) =>
        Assert.Contains(Errors(new TeamsOptions { AppTenantId = "t", Webhook = new() { Enabled = true, Secret = secret } }),
            e => e.StartsWith(message, StringComparison.Ordinal));

    [Fact]
    public void Http_metadata_is_only_allowed_on_loopback()
    {
        var options = new TeamsOptions { Enabled = true, AppId = "a", AppPassword = "p", AppTenantId = "t", BotFrameworkOpenIdMetadataUrl = "http://login.example.com/openid" };

        Assert.Contains(Errors(options), e => e.StartsWith("Teams:BotFrameworkOpenIdMetadataUrl", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_app_refuses_to_start_with_teams_enabled_and_no_app_id()
    {
        await using var openId = await LocalOpenIdServer.StartAsync();
        var error = Assert.IsType<OptionsValidationException>(FailedStart.Of(() => new TeamsBotFactory(openId, new() { ["Teams:AppId"] = "" })), exactMatch: false);

        Assert.Contains("Teams:AppId is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Playground_mode_logs_a_warning_at_start_up()
    {
        await using var openId = await LocalOpenIdServer.StartAsync();
        var collector = new FakeLogCollector();
        await using var factory = new TeamsBotFactory(openId, new()
        {
            ["Teams:AppId"] = "",
            ["Teams:AppPassword"] = "",
            ["Teams:AllowUnauthenticatedLoopback"] = "true",
        });
        using var client = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(collector)))).CreateClient();

        Assert.Contains(collector.GetSnapshot(), r => r.Level == LogLevel.Warning
            && r.Message.Contains("Teams:AllowUnauthenticatedLoopback is on", StringComparison.Ordinal));
    }
}
