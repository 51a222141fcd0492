using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Tests.Execution;

/// <summary>Issue 9, finding 3: a change whose audit entry cannot be written is refused before it reaches PlanetScale.</summary>
public sealed class AuditBeforeChangeTests
{
    private const string Refusal =
        "The audit log cannot be written, so nothing was changed; tell an admin: the bot's audit store refused the entry, and the bot's log says why.";

    [Theory]
    [InlineData("service-token create --name ci")]
    [InlineData("service-token delete seeded00tok1")]
    [InlineData("service-token add-access seeded00tok1 read_branch --database prod")]
    [InlineData("service-token delete-access seeded00tok1 read_branch --database prod")]
    public async Task A_change_the_audit_cannot_record_is_refused_before_PlanetScale_is_called(string command)
    {
        var audit = new SwitchableAuditLog();
        var harness = new PipelineHarness(audit);
        var tokenId = harness.PlanetScale.SeedToken("acme", "seeded", harness.Time.GetUtcNow());
        harness.PlanetScale.Grant("acme", tokenId, "prod", "read_branch");
        harness.PlanetScale.Calls.Clear();
        audit.Broken = true;

        var (_, response) = await harness.RunAsync(command.Replace("seeded00tok1", tokenId, StringComparison.Ordinal));

        var error = Assert.IsType<ErrorResult>(Assert.Single(response.Results));
        Assert.Equal(Refusal, error.Message);
        Assert.Equal(ErrorCategory.Internal, error.Category);
        Assert.Equal(ResponseVisibility.Private, response.Visibility);
        Assert.Null(response.Announcement);
        Assert.Empty(harness.PlanetScale.Calls);
        Assert.True(harness.PlanetScale.HasToken("acme", tokenId));
        Assert.Equal(["read_branch"], harness.PlanetScale.Held("acme", tokenId, "prod"));
        Assert.Contains("the change by slack:user:UALICE was refused before it ran", harness.AuditLogger.Collector.LatestRecord.Message);
    }

    [Fact]
    public async Task Reads_still_answer_while_the_audit_cannot_be_written()
    {
        var harness = new PipelineHarness(new SwitchableAuditLog { Broken = true });

        var (_, response) = await harness.RunAsync("service-token list");

        Assert.IsNotType<ErrorResult>(Assert.Single(response.Results));
    }

    [Fact]
    public async Task A_change_is_recorded_as_started_before_it_runs_and_with_its_outcome_after()
    {
        var harness = new PipelineHarness();

        await harness.RunAsync("service-token create --name ci");

        var entries = await harness.Audit.RecentAsync(10, CancellationToken.None);
        Assert.Equal(["ok", CommandAuditRecorder.StartedOutcome], entries.Select(e => e.Outcome));
        Assert.All(entries, e => Assert.Equal("service-token create --name ci", e.Command));
    }

    /// <summary>An audit store that works until it is broken (a corrupt file, a full or read-only disk).</summary>
    private sealed class SwitchableAuditLog : IAuditLog
    {
        private readonly InMemoryAuditLog inner = new();

        public bool Broken { get; set; }

        public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken) =>
            Broken ? throw new IOException("disk full") : inner.AppendAsync(entry, cancellationToken);

        public Task<IReadOnlyList<AuditEntry>> RecentAsync(int limit, CancellationToken cancellationToken) =>
            inner.RecentAsync(limit, cancellationToken);
    }
}
