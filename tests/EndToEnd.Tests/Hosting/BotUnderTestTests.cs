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
        Assert.StartsWith("Degraded\nplanetscale: ", ready);
        Assert.Contains("acmee", ready);
    }
}

/// <summary>
/// Issue 9, finding 5 and 6: a configuration mistake stops the bot (server or shell) with exit code 1 and only the
/// sentences naming the settings — no "Hosting failed to start", no stack trace, no silent fallback to the sandbox.
/// </summary>
public sealed class ProductionStartupTests
{
    private const string CredentialsMissing =
        "PlanetScale credentials are missing: set PlanetScale:ServiceTokenId and PlanetScale:ServiceToken (or PlanetScale:AccessToken)";

    public static TheoryData<string[], string[], string[]> Mistakes => new()
    {
        { [], [], [CredentialsMissing] },
        {
            ["Teams__Enabled=true"], [],
            ["Teams:AppId is required when Teams:Enabled is true", "Teams:AppPassword is required", "Teams:AppTenantId is required"]
        },
        {
            ["Teams__Enabled=true", "Teams__AllowUnauthenticatedLoopback=true", "Teams__AllowedTenants__0=t"], [],
            ["Teams:AllowUnauthenticatedLoopback is for the Agents Playground on a developer's machine and works only when ASPNETCORE_ENVIRONMENT is Development (it is Production)"]
        },
        {
            ["PlanetScale__ServiceTokenId=abcdefghijkl", "PlanetScale__ServiceToken=pscale_tkn_x", "PlanetScale__DefaultOrganization="],
            ["shell", "--command", "service-token list"],
            ["PlanetScale:DefaultOrganization is required"]
        },
        {
            ["PlanetScale__ServiceTokenId=abcdefghijkl", "PlanetScale__DefaultOrganization=acme"],
            ["shell", "--command", "service-token list"],
            ["PlanetScale:ServiceTokenId and PlanetScale:ServiceToken must be set together"]
        },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task A_configuration_mistake_exits_1_with_one_sentence_per_problem_and_no_stack_trace(
        string[] environment, string[] arguments, string[] sentences)
    {
        var (exitCode, output) = await RunBotAsync(environment, arguments);

        Assert.Equal(1, exitCode);
        Assert.Contains("pscale-bot cannot start:", output);
        foreach (var sentence in sentences)
        {
            Assert.Contains("- " + sentence, output);
        }

        Assert.DoesNotContain("   at ", output);
        Assert.DoesNotContain("Hosting failed to start", output);
        Assert.DoesNotContain("Unhandled exception", output);
        Assert.DoesNotContain("DataAnnotation validation failed", output);
    }

    /// <summary>
    /// Issue 9, findings 3 and 4: the server does not start on an unusable store. As root (CI), a chmod'ed folder stops
    /// nothing, so "corrupt" is a file of random bytes and "cannot be written" a path under a regular FILE.
    /// </summary>
    [Fact]
    public async Task An_unusable_audit_or_access_store_stops_the_start_with_a_sentence_naming_the_setting()
    {
        var folder = Directory.CreateTempSubdirectory("pscale-bot-stores-").FullName;
        var audit = Path.Combine(folder, "audit.db");
        var bytes = new byte[4096];
        new Random(3).NextBytes(bytes);
        await File.WriteAllBytesAsync(audit, bytes);
        var blocker = Path.Combine(folder, "a-file");
        await File.WriteAllTextAsync(blocker, "not a folder");
        var access = Path.Combine(blocker, "sub", "access.db");
        string[] credentials = ["PlanetScale__ServiceTokenId=abcdefghijkl", "PlanetScale__ServiceToken=pscale_tkn_x"];

        var (auditExit, auditOutput) = await RunBotAsync([.. credentials, "Audit__Path=" + audit], []);
        var (accessExit, accessOutput) = await RunBotAsync([.. credentials, "AccessRequests__StorePath=" + access], []);

        Assert.Equal(1, auditExit);
        Assert.Contains($"- Audit:Path ({audit}) cannot be used: the file is not a SQLite database", auditOutput);
        Assert.Equal(1, accessExit);
        Assert.Contains($"- AccessRequests:StorePath ({access}) cannot be used: its folder cannot be created or written", accessOutput);
        foreach (var output in new[] { auditOutput, accessOutput })
        {
            Assert.Contains("pscale-bot cannot start:", output);
            Assert.DoesNotContain("   at ", output);
            Assert.DoesNotContain("Hosting failed to start", output);
        }

        Directory.Delete(folder, recursive: true);
    }

    private static async Task<(int ExitCode, string Output)> RunBotAsync(string[] environment, string[] arguments)
    {
        var botDll = Path.Combine(AppContext.BaseDirectory, "PscaleBot.Bot.dll");
        var work = Directory.CreateTempSubdirectory("pscale-bot-prod-").FullName;
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = work,
        };
        start.ArgumentList.Add(botDll);
        foreach (var arg in arguments.Length > 0 ? arguments : ["--urls", "http://127.0.0.1:0"])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Audit__Path"] = Path.Combine(work, "a.db");
        start.Environment["AccessRequests__StorePath"] = Path.Combine(work, "access.db");
        start.Environment["PlanetScale__DefaultOrganization"] = "acme";
        foreach (var variable in new[] { "PlanetScale__ServiceTokenId", "PlanetScale__ServiceToken", "PlanetScale__AccessToken", "PlanetScale__UseSandbox" })
        {
            start.Environment.Remove(variable);
        }

        foreach (var setting in environment)
        {
            var equals = setting.IndexOf('=', StringComparison.Ordinal);
            start.Environment[setting[..equals]] = setting[(equals + 1)..];
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        process.StandardInput.Close();
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await errors + await output);
    }
}
