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

public sealed class ProductionStartupTests
{
    [Fact]
    public async Task Without_planetscale_credentials_production_refuses_to_start_and_names_the_settings()
    {
        var botDll = Path.Combine(AppContext.BaseDirectory, "PscaleBot.Bot.dll");
        var work = Directory.CreateTempSubdirectory("pscale-bot-prod-").FullName;
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = work,
        };
        foreach (var arg in new[] { botDll, "--urls", "http://127.0.0.1:0", $"Audit:Path={Path.Combine(work, "a.db")}", "PlanetScale:DefaultOrganization=acme" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var variable in new[] { "PlanetScale__ServiceTokenId", "PlanetScale__ServiceToken", "PlanetScale__AccessToken" })
        {
            start.Environment.Remove(variable);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(1, process.ExitCode);
        var message = await errors;
        Assert.Contains("pscale-bot cannot start: PlanetScale credentials are missing: set PlanetScale:ServiceTokenId and PlanetScale:ServiceToken (or PlanetScale:AccessToken)", message);
        Assert.DoesNotContain("   at ", message);
    }
}
