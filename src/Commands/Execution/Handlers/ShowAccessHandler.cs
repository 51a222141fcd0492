using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Execution.Handlers;

/// <summary><c>service-token show-access</c>.</summary>
public sealed class ShowAccessHandler(IPlanetScaleService planetScale) : ICommandHandler<ShowAccessCommand>
{
    /// <inheritdoc />
    public async Task<ExecutionOutcome> HandleAsync(ShowAccessCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        var grants = await planetScale.GetGrantsAsync(context.Organization, command.TokenId, cancellationToken);
        var table = PermissionTableBuilder.FromGrants(context.Organization, command.TokenId, grants);
        CommandResult result = table.Rows.Count == 0 && command.Options.Format == OutputFormat.Human
            ? new MessageResult($"Token {command.TokenId} has no access yet.")
            : table;
        return new ExecutionOutcome([result], null, "ok");
    }
}
