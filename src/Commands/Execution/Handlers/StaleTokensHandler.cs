using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Stale;

namespace PscaleBot.Commands.Execution.Handlers;

/// <summary><c>service-token stale</c>: the organization's tokens unused since the cut-off (<see cref="StaleTokenFinder"/>).</summary>
public sealed class StaleTokensHandler(StaleTokenFinder finder) : ICommandHandler<StaleTokensCommand>
{
    /// <inheritdoc />
    public async Task<ExecutionOutcome> HandleAsync(StaleTokensCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        var table = await finder.FindAsync(context.Organization, command.UnusedFor, cancellationToken);
        return new ExecutionOutcome([table], null, $"ok: {table.Tokens.Count} stale");
    }
}
