using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PscaleBot.Bot.Hosting.Rehearsal;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Results;
using PscaleBot.EndToEnd.Tests.Support;

namespace PscaleBot.EndToEnd.Tests.Hosting;

/// <summary>
/// Issue 11, start-up: the read commands a burst is made of run once before the bot is ready, through the real execution,
/// handlers and PlanetScale client, and nothing of it can be seen outside the process.
/// </summary>
public sealed class CommandRehearsalTests
{
    [Fact]
    public async Task The_read_commands_are_rehearsed_before_ready_and_each_gets_its_real_answer()
    {
        await using var bot = await BotUnderTest.StartAsync(new BotSetup { PolicyYaml = Policies.ShellAdmin });
        using var client = bot.CreateClient();

        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
        Assert.DoesNotContain(bot.Logs.GetSnapshot(), r => r.Level >= LogLevel.Warning && r.Message.StartsWith("Warm-up of", StringComparison.Ordinal));
        var rehearsal = bot.Services.GetRequiredService<CommandRehearsal>();
        Assert.Equal(0, rehearsal.Unanswered);
        Assert.Collection(rehearsal.Answers,
            list => Assert.Equal([RehearsalPlanetScaleHandler.TokenId, "rehearsal0t2"], Single<TokenTable>(list).Tokens.Select(t => t.Id)),
            csv =>
            {
                Assert.Equal(OutputFormat.Csv, csv.Format);
                Assert.Equal(2, Single<TokenTable>(csv).Tokens.Count);
            },
            show => Assert.Equal(RehearsalPlanetScaleHandler.TokenId, Assert.Single(Single<TokenTable>(show).Tokens).Id),
            access => Assert.Equal(["connect_branch", "read_branch"], Assert.Single(Single<PermissionTable>(access).Rows).Permissions.Select(p => p.Name).Order()),
            json =>
            {
                Assert.Equal(OutputFormat.Json, json.Format);
                Assert.Equal("rehearsal", Assert.Single(Single<PermissionTable>(json).Rows).ResourceName);
            });
    }

    [Fact]
    public async Task The_rehearsal_calls_no_PlanetScale_writes_no_audit_row_and_can_run_again()
    {
        var outbound = new OutboundHttpRecorder();
        await using var bot = await BotUnderTest.StartAsync(new BotSetup { PolicyYaml = Policies.ShellAdmin, ConfigureServices = outbound.Install });
        var rehearsal = bot.Services.GetRequiredService<CommandRehearsal>();

        await rehearsal.WarmAsync(CancellationToken.None);

        // The bot's own start-up check asks for the organizations; nothing else reached the sandbox, start-up included.
        Assert.All(outbound.To(bot.Sandbox.BaseAddress), call => Assert.EndsWith("/organizations", call.Uri.AbsolutePath, StringComparison.Ordinal));
        Assert.DoesNotContain(outbound.Requests, call => call.Uri.Host.EndsWith(".invalid", StringComparison.Ordinal));
        var audit = await bot.Services.GetRequiredService<IAuditLog>().RecentAsync(100, CancellationToken.None);
        Assert.Empty(audit);
        Assert.Equal(5, rehearsal.Answers.Count);
    }

    private static T Single<T>(CommandResponse response) where T : CommandResult =>
        Assert.IsType<T>(Assert.Single(response.Results, r => r is not MessageResult));
}
