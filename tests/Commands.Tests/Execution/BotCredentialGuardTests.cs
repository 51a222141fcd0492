using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Tests.Execution;

/// <summary>Issue 9, finding 14: the bot must not be made to lock itself out by changing its own credential token.</summary>
public sealed class BotCredentialGuardTests
{
    private const string BotToken = "pscalebot001";

    private readonly PipelineHarness harness = new(botTokenId: BotToken);

    [Theory]
    [InlineData("service-token delete-access pscalebot001 write_service_tokens")]
    [InlineData("service-token delete PSCALEBOT001")]
    [InlineData("service-token add-access pscalebot001 read_branch --database prod")]
    public async Task A_change_to_the_bots_own_token_is_refused_with_why_and_audited(string command)
    {
        var (_, response) = await harness.RunAsync(command);

        var error = Assert.IsType<ErrorResult>(Assert.Single(response.Results));
        Assert.Equal(ErrorCategory.Denied, error.Category);
        Assert.Contains("the bot's own credential", error.Message, StringComparison.Ordinal);
        Assert.Contains("revocations of grants already made", error.Message, StringComparison.Ordinal);
        Assert.Contains("manage_bot_token: true", error.Hint, StringComparison.Ordinal);
        Assert.Equal(ResponseVisibility.Private, response.Visibility);
        Assert.Empty(harness.PlanetScale.Calls);
        var audit = await harness.LastAuditAsync();
        Assert.Equal("denied", audit.Decision);
        Assert.Equal("denied", audit.Outcome);
    }

    [Fact]
    public async Task A_dry_run_shows_the_refusal_not_the_call()
    {
        var (_, response) = await harness.RunAsync($"service-token delete {BotToken} --dry-run");

        var error = Assert.IsType<ErrorResult>(Assert.Single(response.Results));
        Assert.Contains("lock the bot out", error.Message, StringComparison.Ordinal);
        Assert.Empty(harness.PlanetScale.Calls);
    }

    [Fact]
    public async Task Reads_of_the_bots_own_token_stay_allowed()
    {
        var (_, response) = await harness.RunAsync($"service-token show-access {BotToken}");

        Assert.DoesNotContain(response.Results, r => r is ErrorResult { Category: ErrorCategory.Denied });
    }

    [Fact]
    public async Task A_role_with_manage_bot_token_may_change_it()
    {
        var tokenId = harness.PlanetScale.SeedToken("acme", "bot", harness.Time.GetUtcNow());
        harness.PlanetScale.Grant("acme", tokenId, "prod", "read_branch", "connect_branch");
        harness.Settings.ServiceTokenId = tokenId;
        harness.Policy.BotTokenManagers.Add(PipelineHarness.Alice.UserId);

        var (_, response) = await harness.RunAsync($"service-token delete-access {tokenId} connect_branch --database prod");

        Assert.DoesNotContain(response.Results, r => r is ErrorResult);
        Assert.Equal(["read_branch"], harness.PlanetScale.Held("acme", tokenId, "prod"));
    }
}
