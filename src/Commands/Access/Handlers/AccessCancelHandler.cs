using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;

namespace PscaleBot.Commands.Access.Handlers;

/// <summary><c>access cancel</c>: the requester withdraws a pending request.</summary>
public sealed class AccessCancelHandler(RequestSettlement settlement) : ICommandHandler<AccessCancelCommand>
{
    /// <inheritdoc />
    public async Task<ExecutionOutcome> HandleAsync(AccessCancelCommand command, CommandContext context, CancellationToken cancellationToken) =>
        (await settlement.CancelAsync(command.RequestId, context.Request.Caller, context.Request.Place, cancellationToken)).ToExecution();
}
