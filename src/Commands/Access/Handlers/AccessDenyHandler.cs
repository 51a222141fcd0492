using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;

namespace PscaleBot.Commands.Access.Handlers;

/// <summary><c>access deny</c>: an approver turns a pending request down.</summary>
public sealed class AccessDenyHandler(RequestSettlement settlement) : ICommandHandler<AccessDenyCommand>
{
    /// <inheritdoc />
    public async Task<ExecutionOutcome> HandleAsync(AccessDenyCommand command, CommandContext context, CancellationToken cancellationToken) =>
        (await settlement.DenyAsync(command.RequestId, context.Request.Caller, context.Request.Place, command.Reason, cancellationToken)).ToExecution();
}
