using System.Diagnostics;
using PscaleBot.EndToEnd.Tests.Slack;
using static PscaleBot.EndToEnd.Tests.Faults.FaultKit;
using static PscaleBot.EndToEnd.Tests.Slack.SlackPeople;

namespace PscaleBot.EndToEnd.Tests.Faults;

/// <summary>How the policy file can be wrong.</summary>
public enum PolicyFault
{
    CorruptYaml,
    InvalidPolicy,
    Deleted,
    Unreadable,
}

/// <summary>
/// The policy file is broken. At start-up the server does not start: exit code 1 and one sentence naming
/// <c>Policy:Path</c>, no stack trace. On a hot reload the last valid policy stays in force (commands it allowed
/// still run, nothing new is allowed), the rejection is logged once per change of the file, and readiness is unchanged.
/// </summary>
public sealed class PolicyFileFaultTests
{
    [Theory]
    [InlineData(PolicyFault.CorruptYaml)]
    [InlineData(PolicyFault.InvalidPolicy)]
    [InlineData(PolicyFault.Deleted)]
    [InlineData(PolicyFault.Unreadable)]
    public async Task At_start_up_the_server_exits_1_with_one_sentence_naming_Policy_Path(PolicyFault fault)
    {
        var folder = Directory.CreateTempSubdirectory("pscale-policy-start-").FullName;
        var policy = Path.Combine(folder, "policy.yaml");
        Break(policy, fault);

        var (exit, errors) = await RunServerAsync(folder, policy);

        Assert.Equal(1, exit);
        Assert.Contains("Policy:Path", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", errors, StringComparison.Ordinal);
        Assert.StartsWith("pscale-bot cannot start:", errors, StringComparison.Ordinal);
        Assert.Contains("(setting Policy:Path) cannot be used", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PolicyFault.CorruptYaml)]
    [InlineData(PolicyFault.InvalidPolicy)]
    [InlineData(PolicyFault.Deleted)]
    [InlineData(PolicyFault.Unreadable)]
    public async Task On_reload_the_last_valid_policy_stays_and_the_rejection_is_logged_once(PolicyFault fault)
    {
        await using var bot = await SlackBot.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Slack:AllowedTeamIds:0"] = Team,
            ["Policy:ReloadDebounce"] = "00:00:00.05",
            ["Policy:UsePollingWatcher"] = "true",
        });
        var policy = Path.Combine(bot.Bot.DataDirectory, "policy.yaml");
        var mark = bot.Bot.LogMark();

        Break(policy, fault);
        await bot.Bot.WaitForLogAsync(r => r.Category?.EndsWith(".PolicyStore", StringComparison.Ordinal) == true && r.Level >= Microsoft.Extensions.Logging.LogLevel.Warning
            && bot.Bot.Logs.GetSnapshot().Skip(mark).Contains(r), TimeSpan.FromSeconds(15));

        var ids = new string[Burst];
        var acks = new SlackAck[Burst];
        await BurstAsync(Burst, async i =>
        {
            ids[i] = bot.NewResponseId();
            acks[i] = await bot.CommandAsync(i % 2 == 0 ? Bob : Mallory, Ops, "service-token list", ids[i]);
        });
        for (var i = 0; i < Burst; i++)
        {
            if (i % 2 == 0)
            {
                Assert.NotEmpty(SlackTable.Rows((await bot.WaitForPostsAsync(ids[i]))[0])); // Bob keeps what the last valid policy gave him
            }
            else
            {
                AssertReadable(acks[i].Body); // Mallory still has nothing: the denial is the acknowledgement itself
                Assert.DoesNotContain("\"table\"", acks[i].Body, StringComparison.Ordinal);
                Assert.Empty(bot.PostsTo(ids[i]));
            }
        }

        bot.Bot.AssertLogged(mark, r => r.Message.Contains("policy", StringComparison.OrdinalIgnoreCase), "that the policy file was rejected");
        bot.Bot.AssertLoggedOnce(mark);
        var (status, body) = await bot.Bot.ReadinessAsync();
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        Assert.StartsWith("Healthy", body, StringComparison.Ordinal);
        Assert.Contains("the previous policy stays in force", bot.Bot.ProblemsSince(mark).Single().Message, StringComparison.Ordinal);
    }

    private static void Break(string policy, PolicyFault fault)
    {
        switch (fault)
        {
            case PolicyFault.CorruptYaml:
                File.WriteAllText(policy, "roles: [unclosed\n  bindings: {{{\n\t- ::: \n");
                break;
            case PolicyFault.InvalidPolicy:
                File.WriteAllText(policy, "roles:\n  reader:\n    commands: [no-such-command]\nbindings:\n  - where: slack:channel:C0OPS\n    who: \"*\"\n    roles: [no-such-role]\n");
                break;
            case PolicyFault.Deleted:
                File.Delete(policy);
                break;
            case PolicyFault.Unreadable:
                // Root reads any file, so "unreadable" is a folder where the file should be.
                File.Delete(policy);
                Directory.CreateDirectory(policy);
                break;
        }
    }

    private static async Task<(int Exit, string Errors)> RunServerAsync(string folder, string policy)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "PscaleBot.Bot.dll"));
        foreach (var setting in new[]
        {
            $"Policy:Path={policy}", $"Audit:Path={Path.Combine(folder, "audit.db")}", $"AccessRequests:StorePath={Path.Combine(folder, "access.db")}",
            "PlanetScale:ServiceTokenId=fault0001", "PlanetScale:ServiceToken=not-a-real-token", "PlanetScale:DefaultOrganization=acme",
            $"PlanetScale:BaseUrl={RefusingUrl("/v1")}", "Urls=http://127.0.0.1:0",
        })
        {
            start.ArgumentList.Add(setting);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("The server did not stop on a broken policy file: " + await output);
        }

        return (process.ExitCode, await errors);
    }
}
