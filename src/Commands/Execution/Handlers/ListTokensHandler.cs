using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Execution.Handlers;

/// <summary><c>service-token list</c>.</summary>
public sealed class ListTokensHandler(IPlanetScaleService planetScale) : ICommandHandler<ListTokensCommand>
{
    // Empty answers are the CLI's sentence for people, and an empty table ([] or a lone CSV header) for scripts.
    /// <inheritdoc />
    public async Task<ExecutionOutcome> HandleAsync(ListTokensCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        var tokens = await planetScale.ListTokensAsync(context.Organization, cancellationToken);
        CommandResult result = tokens.Count == 0 && command.Options.Format == OutputFormat.Human
            ? new MessageResult(CliMessages.NoTokens)
            : new TokenTable(context.Organization, TokenTableKind.List, tokens);
        return new ExecutionOutcome([result], null, "ok");
    }
}
