using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Execution.Handlers;

/// <summary><c>audit</c>: the newest entries of the bot's own audit log.</summary>
public sealed class AuditHandler(IAuditLog auditLog) : ICommandHandler<AuditCommand>
{
    /// <inheritdoc />
    public async Task<ExecutionOutcome> HandleAsync(AuditCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        var entries = await auditLog.RecentAsync(command.Limit, cancellationToken);
        CommandResult result = entries.Count == 0 && command.Options.Format == OutputFormat.Human
            ? new MessageResult("The audit log is empty.")
            : new AuditTable(entries);
        return new ExecutionOutcome([result], null, "ok");
    }
}
