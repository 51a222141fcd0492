using PscaleBot.EndToEnd.Tests.Support;

namespace PscaleBot.EndToEnd.Tests.Hosting;

public sealed class BotUnderTestTests
{
    [Fact]
    public async Task The_bot_answers_health_probes_over_real_http_with_the_core_configured()
    {
        await using var bot = await BotUnderTest.StartAsync(new BotSetup { PolicyYaml = Policies.ShellAdmin });
        using var client = bot.CreateClient();

        var live = await client.GetAsync("/healthz");
        var ready = await client.GetAsync("/readyz");

        Assert.Equal(System.Net.HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("127.0.0.1", bot.BaseAddress.Host);
    }
}

public sealed class PlanetScaleStartupCheckTests
{
    [Fact]
    public async Task Start_up_logs_that_the_credentials_see_the_default_organization()
    {
        await using var bot = await BotUnderTest.StartAsync(new BotSetup { PolicyYaml = Policies.ShellAdmin });

        var record = await bot.WaitForLogAsync(r => r.Category?.EndsWith("PlanetScaleStartupCheck", StringComparison.Ordinal) == true);

        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Information, record.Level);
        Assert.Contains("acme", record.Message);
    }

    [Fact]
    public async Task An_organization_the_credentials_cannot_see_is_a_warning_and_readiness_says_degraded()
    {
        await using var bot = await BotUnderTest.StartAsync(new BotSetup
        {
            PolicyYaml = Policies.ShellAdmin,
            Settings = { ["PlanetScale:DefaultOrganization"] = "acmee" },
        });

        var record = await bot.WaitForLogAsync(r => r.Category?.EndsWith("PlanetScaleStartupCheck", StringComparison.Ordinal) == true);
        using var client = bot.CreateClient();
        var ready = await client.GetStringAsync("/readyz");

        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, record.Level);
        Assert.Contains("acmee", record.Message);
        Assert.Equal("Degraded", ready);
    }
}
