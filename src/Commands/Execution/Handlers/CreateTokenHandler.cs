using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Execution.Handlers;

/// <summary><c>service-token create</c>: creates the token and shows its secret once.</summary>
public sealed class CreateTokenHandler(IPlanetScaleService planetScale) : ICommandHandler<CreateTokenCommand>
{
    /// <inheritdoc />
    public async Task<ExecutionOutcome> HandleAsync(CreateTokenCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        var organization = context.Organization;
        context.MarkChangeSent();
        var token = await planetScale.CreateTokenAsync(organization, command.Name, command.Ttl, cancellationToken);
        var named = string.IsNullOrEmpty(token.Name) ? "" : $" ({token.Name})";
        List<CommandResult> results = [new TokenTable(organization, TokenTableKind.Created, [token])];
        if (command.Options.Format == OutputFormat.Human)
        {
            results.Add(new MessageResult(
                $"Copy the token now: PlanetScale shows it only once. It has no access yet: grant some with `service-token add-access {token.Id} <PERMISSION>... --database <DATABASE>`.",
                MessageTone.Warning));
        }

        return new ExecutionOutcome(results, $"{context.Request.Caller.DisplayName} created service token {token.Id}{named} in {organization}.", "ok");
    }
}
