using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Execution.Handlers;

/// <summary><c>audit verify</c>: walks the audit store's hash chain (<see cref="AuditChainVerifier"/>).</summary>
/// <param name="store">The chained store; null when the bot runs on a log without a chain (in memory), which cannot be verified.</param>
public sealed class AuditVerifyHandler(IAuditChainStore? store = null) : ICommandHandler<AuditVerifyCommand>
{
    /// <summary>The audit outcome of a verification that found a break.</summary>
    public const string BrokenOutcome = "chain-broken";

    /// <inheritdoc />
    public async Task<ExecutionOutcome> HandleAsync(AuditVerifyCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        if (store is null)
        {
            // Fail closed: "nothing to check" must never read as "intact".
            return new ExecutionOutcome(
                [new ErrorResult(
                    "This bot keeps its audit log in memory, without a hash chain, so there is nothing to verify.",
                    "Run the bot with an audit store (Audit:Path for SQLite, or Storage:Provider=Postgres).",
                    null,
                    ErrorCategory.Usage)],
                null,
                "error: no chained audit store");
        }

        var report = await new AuditChainVerifier(store).VerifyAsync(cancellationToken);
        var outcome = report.Break is { } bad ? $"{BrokenOutcome}: row {bad.Id} {AuditChainResult.KindWord(bad.Kind)}" : "ok";
        return new ExecutionOutcome([new AuditChainResult(report)], null, outcome);
    }
}
