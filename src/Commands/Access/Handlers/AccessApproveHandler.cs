using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;

namespace PscaleBot.Commands.Access.Handlers;

/// <summary><c>access approve</c>: one approval; the last one needed grants or extends.</summary>
public sealed class AccessApproveHandler(RequestSettlement settlement) : ICommandHandler<AccessApproveCommand>
{
    /// <inheritdoc />
    public async Task<ExecutionOutcome> HandleAsync(AccessApproveCommand command, CommandContext context, CancellationToken cancellationToken) =>
        (await settlement.ApproveAsync(command.RequestId, context.Request.Caller, context.Request.Place, cancellationToken)).ToExecution();
}
