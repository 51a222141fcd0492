using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;

namespace PscaleBot.Commands.Access.Handlers;

/// <summary><c>access extend</c>: more time on a grant, at once or as an extension request.</summary>
public sealed class AccessExtendHandler(GrantChanges grants) : ICommandHandler<AccessExtendCommand>
{
    /// <inheritdoc />
    public async Task<ExecutionOutcome> HandleAsync(AccessExtendCommand command, CommandContext context, CancellationToken cancellationToken) =>
        (await grants.ExtendAsync(context.Request, command.GrantId, command.Duration, command.Reason, cancellationToken)).ToExecution();
}
