using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;

namespace PscaleBot.Commands.Access.Handlers;

/// <summary><c>access list</c>: what the caller may see here; public only with <c>--public</c>.</summary>
public sealed class AccessListHandler(AccessListing listing) : ICommandHandler<AccessListCommand>
{
    /// <inheritdoc />
    public async Task<ExecutionOutcome> HandleAsync(AccessListCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        var list = await listing.ListAsync(context.Request.Caller, context.Request.Place, cancellationToken);
        return ExecutionOutcome.Answer(list, null, command.Options.Public ? ResponseVisibility.Public : ResponseVisibility.Private);
    }
}
