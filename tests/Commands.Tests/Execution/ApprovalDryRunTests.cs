using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Tests.Execution;

/// <summary>A dry run of an approval-gated grant: what would be called, and who would have to approve it first.</summary>
public sealed class ApprovalDryRunTests
{
    private readonly PipelineHarness harness = new();

    [Fact]
    public async Task A_dry_run_of_an_approval_gated_grant_names_the_approvers_and_the_durations_and_changes_nothing()
    {
        var tokenId = harness.PlanetScale.SeedToken("acme", "ci", harness.Time.GetUtcNow());

        var (prepared, response) = await harness.RunAsync(
            $"service-token add-access {tokenId} read_branch --database prod --for 2h --dry-run", PipelineHarness.Bob, PipelineHarness.OnCall);

        Assert.False(prepared.NeedsExecution);
        var dryRun = Assert.IsType<DryRunResult>(Assert.Single(response.Results));
        Assert.StartsWith("needs-approval (role oncall requires 2 approval(s) from role:db-admin, slack:user:UCAROL;", dryRun.Decision);
        Assert.Contains("runs only once approved", dryRun.Decision);
        Assert.Equal("POST", dryRun.Method);
        Assert.Empty(harness.PlanetScale.Calls);
        var audit = await harness.LastAuditAsync();
        Assert.Equal(("needs-approval", "dry-run"), (audit.Decision, audit.Outcome));
    }

    [Fact]
    public async Task An_allowed_dry_run_keeps_its_short_wording()
    {
        var tokenId = harness.PlanetScale.SeedToken("acme", "ci", harness.Time.GetUtcNow());

        var (_, response) = await harness.RunAsync($"service-token add-access {tokenId} read_branch --database prod --dry-run");

        Assert.Equal("allowed (roles: db-admin)", Assert.IsType<DryRunResult>(Assert.Single(response.Results)).Decision);
    }
}
