using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Execution.Handlers;

/// <summary><c>service-token delete</c>.</summary>
public sealed class DeleteTokenHandler(IPlanetScaleService planetScale) : ICommandHandler<DeleteTokenCommand>
{
    /// <inheritdoc />
    public async Task<ExecutionOutcome> HandleAsync(DeleteTokenCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        context.MarkChangeSent();
        await planetScale.DeleteTokenAsync(context.Organization, command.TokenId, cancellationToken);
        return new ExecutionOutcome(
            [new MessageResult(CliMessages.TokenDeleted, MessageTone.Success)],
            $"{context.Request.Caller.DisplayName} deleted service token {command.TokenId} in {context.Organization}.",
            "ok");
    }
}
