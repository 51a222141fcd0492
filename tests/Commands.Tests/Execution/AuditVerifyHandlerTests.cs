using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Execution.Handlers;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Tests.Execution;

public sealed class AuditVerifyHandlerTests
{
    private static readonly CommandContext Context = new(
        new ChatRequest(PipelineHarness.Alice, PipelineHarness.Admins, "audit verify"), "acme", new PolicyDecision.Allowed(["db-admin"]));

    [Fact]
    public async Task Without_a_chained_store_it_fails_closed_instead_of_reporting_an_intact_chain()
    {
        var outcome = await new AuditVerifyHandler().HandleAsync(new AuditVerifyCommand(CommonOptions.Default), Context, CancellationToken.None);

        var error = Assert.IsType<ErrorResult>(Assert.Single(outcome.Results));
        Assert.Contains("nothing to verify", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("error:", outcome.Outcome, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_break_is_audited_with_its_row_and_kind()
    {
        var entry = new AuditEntry(DateTimeOffset.UnixEpoch, "shell", "shell", "shell:user:a", "whoami", "allowed", null, "ok", []);
        var first = AuditRowHash.Compute(entry, AuditRowHash.Genesis);
        var store = new ListStore([
            new ChainedAuditRow(1, entry, AuditRowHash.Genesis, first),
            new ChainedAuditRow(2, entry with { Command = "forged" }, first, AuditRowHash.Compute(entry, first)),
        ]);

        var outcome = await new AuditVerifyHandler(store).HandleAsync(new AuditVerifyCommand(CommonOptions.Default), Context, CancellationToken.None);

        var result = Assert.IsType<AuditChainResult>(Assert.Single(outcome.Results));
        Assert.Equal(2, result.Report.Break?.Id);
        Assert.Equal("chain-broken: row 2 changed", outcome.Outcome);
    }

    private sealed class ListStore(IReadOnlyList<ChainedAuditRow> rows) : IAuditChainStore
    {
        public Task<IReadOnlyList<ChainedAuditRow>> ReadAfterAsync(long afterId, int limit, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ChainedAuditRow>>([.. rows.Where(r => r.Id > afterId).Take(limit)]);
    }
}
