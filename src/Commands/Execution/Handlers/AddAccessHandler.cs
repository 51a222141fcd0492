using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Execution.Handlers;

/// <summary>
/// A plain, permanent <c>service-token add-access</c>. Time-bound, break-glass and approval-gated grants never
/// reach it: <see cref="CommandRoutes.KeyOf"/> sends them to the <see cref="CommandRoutes.AccessRequest"/> handler.
/// </summary>
public sealed class AddAccessHandler(IPlanetScaleService planetScale, DatabaseSuggestions databases) : ICommandHandler<AddAccessCommand>
{
    // A GET /grants first (one cheap read) is what lets the table mark exactly what is new, and it tells a
    // wrong token id (404 here) apart from a wrong database (404 on the POST).
    /// <inheritdoc />
    public async Task<ExecutionOutcome> HandleAsync(AddAccessCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        var organization = context.Organization;
        var before = await planetScale.GetGrantsAsync(organization, command.TokenId, cancellationToken);
        context.MarkChangeSent();
        IReadOnlyList<TokenAccess> returned;
        try
        {
            returned = await planetScale.AddAccessAsync(organization, command.TokenId, command.Database, command.Permissions, cancellationToken);
        }
        catch (PlanetScaleApiException ex) when (ex.Kind == PlanetScaleErrorKind.NotFound && command.Database is not null)
        {
            return await databases.NotFoundAsync(ex, organization, command.Database, cancellationToken);
        }

        var table = PermissionTableBuilder.AfterAdd(organization, command.TokenId, before, returned, command.Database, command.Permissions);
        var added = PermissionTableBuilder.Marked(table, PermissionChange.Added);
        var scope = ScopeWording.Describe(command.Database, organization);
        List<CommandResult> results = [table];
        if (added.Count == 0)
        {
            if (command.Options.Format == OutputFormat.Human)
            {
                results.Insert(0, new MessageResult($"Token {command.TokenId} already had {string.Join(", ", command.Permissions)} on {scope}; nothing changed."));
            }

            return new ExecutionOutcome(results, null, "ok: nothing new");
        }

        return new ExecutionOutcome(
            results,
            $"{context.Request.Caller.DisplayName} added {string.Join(", ", added)} on {scope} to token {command.TokenId}.",
            "ok");
    }
}
