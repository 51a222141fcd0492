using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;

namespace PscaleBot.Commands.Access.Handlers;

/// <summary><c>access revoke</c>: ends a grant now.</summary>
public sealed class AccessRevokeHandler(GrantChanges grants) : ICommandHandler<AccessRevokeCommand>
{
    /// <inheritdoc />
    public async Task<ExecutionOutcome> HandleAsync(AccessRevokeCommand command, CommandContext context, CancellationToken cancellationToken) =>
        (await grants.RevokeAsync(command.GrantId, context.Request.Caller, context.Request.Place, cancellationToken)).ToExecution();
}
