using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Execution.Handlers;

/// <summary><c>service-token show</c>.</summary>
public sealed class ShowTokenHandler(IPlanetScaleService planetScale) : ICommandHandler<ShowTokenCommand>
{
    /// <inheritdoc />
    public async Task<ExecutionOutcome> HandleAsync(ShowTokenCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        var token = await planetScale.GetTokenAsync(context.Organization, command.TokenId, cancellationToken);
        // A GET never carries the secret; drop it anyway should a client ever fill it.
        return new ExecutionOutcome([new TokenTable(context.Organization, TokenTableKind.Show, [token with { Secret = null }])], null, "ok");
    }
}
