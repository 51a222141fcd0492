using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Execution.Handlers;

/// <summary><c>service-token delete-access</c>: removes only what the token held, and shows what is left.</summary>
public sealed class DeleteAccessHandler(IPlanetScaleService planetScale, DatabaseSuggestions databases) : ICommandHandler<DeleteAccessCommand>
{
    // Grants are read before and after: before, to remove (and announce) only what was held and to tell a
    // wrong token id from a wrong database; after, because the CLI's DELETE answers with nothing to show.
    /// <inheritdoc />
    public async Task<ExecutionOutcome> HandleAsync(DeleteAccessCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        var organization = context.Organization;
        var before = await planetScale.GetGrantsAsync(organization, command.TokenId, cancellationToken);
        var scope = ScopeWording.Describe(command.Database, organization);
        var held = PermissionTableBuilder.HeldOf(before, command.Database, organization, command.Permissions);
        if (held.Count == 0)
        {
            return await NothingToRemoveAsync(command, organization, before, scope, cancellationToken);
        }

        context.MarkChangeSent();
        await planetScale.DeleteAccessAsync(organization, command.TokenId, command.Database, command.Permissions, cancellationToken);

        var announcement = $"{context.Request.Caller.DisplayName} removed {string.Join(", ", held)} on {scope} from token {command.TokenId}.";
        var removedLine = held.Count == 1 ? $"{held[0]} has been removed." : $"{string.Join(", ", held)} have been removed.";
        IReadOnlyList<TokenGrant> after;
        try
        {
            after = await planetScale.GetGrantsAsync(organization, command.TokenId, cancellationToken);
        }
        catch (PlanetScaleApiException ex)
        {
            // The removal happened; only the follow-up read failed, so say both.
            return new ExecutionOutcome(
                [
                    new MessageResult(removedLine, MessageTone.Success),
                    new MessageResult($"The token's remaining access could not be fetched ({ex.Message}); see it with `service-token show-access {command.TokenId}`.", MessageTone.Warning),
                ],
                announcement,
                "ok: follow-up read failed");
        }

        var table = PermissionTableBuilder.AfterRemove(organization, command.TokenId, before, after, command.Database, command.Permissions);
        List<CommandResult> results = [table];
        if (command.Options.Format == OutputFormat.Human)
        {
            results.Insert(0, new MessageResult(removedLine, MessageTone.Success));
        }

        return new ExecutionOutcome(results, announcement, "ok");
    }

    private async Task<ExecutionOutcome> NothingToRemoveAsync(
        DeleteAccessCommand command, string organization, IReadOnlyList<TokenGrant> before, string scope, CancellationToken cancellationToken)
    {
        if (command.Database is not null && !before.Any(g => g.ResourceKind == ResourceKind.Database && g.ResourceName == command.Database)
            && await databases.UnknownAsync(organization, command.Database, cancellationToken) is { } unknown)
        {
            return unknown;
        }

        var unchanged = PermissionTableBuilder.FromGrants(organization, command.TokenId, before);
        List<CommandResult> nothing = [unchanged];
        if (command.Options.Format == OutputFormat.Human)
        {
            nothing.Insert(0, new MessageResult($"Token {command.TokenId} does not have {string.Join(", ", command.Permissions)} on {scope}; nothing changed."));
        }

        return new ExecutionOutcome(nothing, null, "ok: nothing to remove");
    }
}
