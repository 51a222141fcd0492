using Microsoft.Extensions.Logging;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;
using PscaleBot.Commands.Secrets;
using PscaleBot.Commands.Text;

namespace PscaleBot.Commands.Execution;

/// <summary>What running one allowed command produced.</summary>
/// <param name="Results">What to show the caller.</param>
/// <param name="Announcement">For successful changes, a line for the place; otherwise null.</param>
/// <param name="Outcome">The audit outcome.</param>
/// <param name="Visibility">Who may see it, when the producer decided (the approval gateway); null to let the pipeline decide.</param>
public sealed record ExecutionOutcome(IReadOnlyList<CommandResult> Results, string? Announcement, string Outcome, ResponseVisibility? Visibility = null)
{
    /// <summary>True when an error is among the results.</summary>
    public bool Failed => Results.Any(r => r is ErrorResult);
}

/// <summary>
/// Runs allowed <c>service-token</c> commands and <c>audit</c> against <see cref="IPlanetScaleService"/> and
/// <see cref="IAuditLog"/>, turning every failure into an <see cref="ErrorResult"/> worded for people.
/// </summary>
public sealed partial class TokenCommandRunner(IPlanetScaleService planetScale, IAuditLog auditLog, ILogger<TokenCommandRunner> logger)
{
    /// <summary>
    /// Runs <paramref name="command"/> for <paramref name="caller"/>. Never throws except for cancellation of
    /// <paramref name="cancellationToken"/>.
    /// </summary>
    public async Task<ExecutionOutcome> RunAsync(BotCommand command, string organization, ChatIdentity caller, CancellationToken cancellationToken)
    {
        var progress = new ChangeProgress();
        try
        {
            return command switch
            {
                CreateTokenCommand c => await CreateAsync(c, organization, caller, progress, cancellationToken),
                ListTokensCommand l => await ListAsync(l, organization, cancellationToken),
                ShowTokenCommand s => await ShowAsync(s, organization, cancellationToken),
                DeleteTokenCommand d => await DeleteAsync(d, organization, caller, progress, cancellationToken),
                AddAccessCommand a => await AddAccessAsync(a, organization, caller, progress, cancellationToken),
                DeleteAccessCommand d => await DeleteAccessAsync(d, organization, caller, progress, cancellationToken),
                ShowAccessCommand s => await ShowAccessAsync(s, organization, cancellationToken),
                AuditCommand a => await AuditAsync(a, cancellationToken),
                _ => Fail(new ErrorResult(
                    $"`{command.PolicyName}` cannot be run here.", "Type `help` to see the commands you may run.", null, ErrorCategory.Usage),
                    "error: not runnable"),
            };
        }
        catch (PlanetScaleApiException ex)
        {
            return ApiFailure(ex, command, organization, progress);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogUnexpected(ex.GetType().FullName ?? ex.GetType().Name, SecretRedactor.Redact(ex.Message), command.PolicyName);
            var hint = progress.ChangeSent
                ? $"The change may or may not have been made: check with `service-token {CheckCommand(command)}`."
                : "Nothing was changed. Try again; if it keeps failing, tell the bot's operators.";
            return Fail(new ErrorResult("Something went wrong on the bot's side.", hint, null, ErrorCategory.Internal), "error: internal " + ex.GetType().Name);
        }
    }

    private async Task<ExecutionOutcome> CreateAsync(
        CreateTokenCommand command, string organization, ChatIdentity caller, ChangeProgress progress, CancellationToken cancellationToken)
    {
        progress.ChangeSent = true;
        var token = await planetScale.CreateTokenAsync(organization, command.Name, command.Ttl, cancellationToken);
        var named = string.IsNullOrEmpty(token.Name) ? "" : $" ({token.Name})";
        List<CommandResult> results = [new TokenTable(organization, TokenTableKind.Created, [token])];
        if (command.Options.Format == OutputFormat.Human)
        {
            results.Add(new MessageResult(
                $"Copy the token now: PlanetScale shows it only once. It has no access yet: grant some with `service-token add-access {token.Id} <PERMISSION>... --database <DATABASE>`.",
                MessageTone.Warning));
        }

        return new ExecutionOutcome(results, $"{caller.DisplayName} created service token {token.Id}{named} in {organization}.", "ok");
    }

    // Empty answers are the CLI's sentence for people, and an empty table ([] or a lone CSV header) for scripts.
    private async Task<ExecutionOutcome> ListAsync(ListTokensCommand command, string organization, CancellationToken cancellationToken)
    {
        var tokens = await planetScale.ListTokensAsync(organization, cancellationToken);
        CommandResult result = tokens.Count == 0 && command.Options.Format == OutputFormat.Human
            ? new MessageResult(CliMessages.NoTokens)
            : new TokenTable(organization, TokenTableKind.List, tokens);
        return new ExecutionOutcome([result], null, "ok");
    }

    private async Task<ExecutionOutcome> ShowAsync(ShowTokenCommand command, string organization, CancellationToken cancellationToken)
    {
        var token = await planetScale.GetTokenAsync(organization, command.TokenId, cancellationToken);
        // A GET never carries the secret; drop it anyway should a client ever fill it.
        return new ExecutionOutcome([new TokenTable(organization, TokenTableKind.Show, [token with { Secret = null }])], null, "ok");
    }

    private async Task<ExecutionOutcome> DeleteAsync(
        DeleteTokenCommand command, string organization, ChatIdentity caller, ChangeProgress progress, CancellationToken cancellationToken)
    {
        progress.ChangeSent = true;
        await planetScale.DeleteTokenAsync(organization, command.TokenId, cancellationToken);
        return new ExecutionOutcome(
            [new MessageResult(CliMessages.TokenDeleted, MessageTone.Success)],
            $"{caller.DisplayName} deleted service token {command.TokenId} in {organization}.",
            "ok");
    }

    // A GET /grants first (one cheap read) is what lets the table mark exactly what is new, and it tells a
    // wrong token id (404 here) apart from a wrong database (404 on the POST).
    private async Task<ExecutionOutcome> AddAccessAsync(
        AddAccessCommand command, string organization, ChatIdentity caller, ChangeProgress progress, CancellationToken cancellationToken)
    {
        var before = await planetScale.GetGrantsAsync(organization, command.TokenId, cancellationToken);
        progress.ChangeSent = true;
        IReadOnlyList<TokenAccess> returned;
        try
        {
            returned = await planetScale.AddAccessAsync(organization, command.TokenId, command.Database, command.Permissions, cancellationToken);
        }
        catch (PlanetScaleApiException ex) when (ex.Kind == PlanetScaleErrorKind.NotFound && command.Database is not null)
        {
            return await DatabaseNotFoundAsync(ex, organization, command.Database, cancellationToken);
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
            $"{caller.DisplayName} added {string.Join(", ", added)} on {scope} to token {command.TokenId}.",
            "ok");
    }

    // Grants are read before and after: before, to remove (and announce) only what was held and to tell a
    // wrong token id from a wrong database; after, because the CLI's DELETE answers with nothing to show.
    private async Task<ExecutionOutcome> DeleteAccessAsync(
        DeleteAccessCommand command, string organization, ChatIdentity caller, ChangeProgress progress, CancellationToken cancellationToken)
    {
        var before = await planetScale.GetGrantsAsync(organization, command.TokenId, cancellationToken);
        var scope = ScopeWording.Describe(command.Database, organization);
        var held = PermissionTableBuilder.HeldOf(before, command.Database, organization, command.Permissions);
        if (held.Count == 0)
        {
            if (command.Database is not null && !before.Any(g => g.ResourceKind == ResourceKind.Database && g.ResourceName == command.Database))
            {
                var unknown = await UnknownDatabaseAsync(organization, command.Database, cancellationToken);
                if (unknown is not null)
                {
                    return unknown;
                }
            }

            var unchanged = PermissionTableBuilder.FromGrants(organization, command.TokenId, before);
            List<CommandResult> nothing = [unchanged];
            if (command.Options.Format == OutputFormat.Human)
            {
                nothing.Insert(0, new MessageResult($"Token {command.TokenId} does not have {string.Join(", ", command.Permissions)} on {scope}; nothing changed."));
            }

            return new ExecutionOutcome(nothing, null, "ok: nothing to remove");
        }

        progress.ChangeSent = true;
        await planetScale.DeleteAccessAsync(organization, command.TokenId, command.Database, command.Permissions, cancellationToken);

        var announcement = $"{caller.DisplayName} removed {string.Join(", ", held)} on {scope} from token {command.TokenId}.";
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

    private async Task<ExecutionOutcome> ShowAccessAsync(ShowAccessCommand command, string organization, CancellationToken cancellationToken)
    {
        var grants = await planetScale.GetGrantsAsync(organization, command.TokenId, cancellationToken);
        var table = PermissionTableBuilder.FromGrants(organization, command.TokenId, grants);
        CommandResult result = table.Rows.Count == 0 && command.Options.Format == OutputFormat.Human
            ? new MessageResult($"Token {command.TokenId} has no access yet.")
            : table;
        return new ExecutionOutcome([result], null, "ok");
    }

    private async Task<ExecutionOutcome> AuditAsync(AuditCommand command, CancellationToken cancellationToken)
    {
        var entries = await auditLog.RecentAsync(command.Limit, cancellationToken);
        CommandResult result = entries.Count == 0 && command.Options.Format == OutputFormat.Human
            ? new MessageResult("The audit log is empty.")
            : new AuditTable(entries);
        return new ExecutionOutcome([result], null, "ok");
    }

    private async Task<ExecutionOutcome> DatabaseNotFoundAsync(
        PlanetScaleApiException ex, string organization, string database, CancellationToken cancellationToken)
    {
        return await UnknownDatabaseAsync(organization, database, cancellationToken, ApiOutcome(ex))
            ?? Fail(new ErrorResult(
                $"PlanetScale answered not found for database {database} in organization {organization}.",
                "The bot's PlanetScale credentials may lack access to that database.",
                null,
                ErrorCategory.Api),
                ApiOutcome(ex));
    }

    // An error naming the closest existing database when <database> is not in the organization's list;
    // null when it is there or the list cannot be read (the suggestion is a courtesy, never a new failure).
    private async Task<ExecutionOutcome?> UnknownDatabaseAsync(
        string organization, string database, CancellationToken cancellationToken, string outcome = "error: unknown database")
    {
        IReadOnlyList<string> databases;
        try
        {
            databases = await planetScale.ListDatabasesAsync(organization, cancellationToken);
        }
        catch (Exception listFailure) when (listFailure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogSuggestionUnavailable(listFailure.GetType().Name);
            return null;
        }

        if (databases.Contains(database, StringComparer.Ordinal))
        {
            return null;
        }

        var closest = NameSuggester.Closest(database, databases);
        var hint = closest is not null
            ? $"Did you mean `{closest}`?"
            : databases.Count == 0
                ? $"Organization {organization} has no databases the bot can see."
                : $"Databases in {organization}: {string.Join(", ", databases.Order(StringComparer.Ordinal).Take(10))}{(databases.Count > 10 ? ", …" : "")}.";
        return Fail(new ErrorResult($"Database {database} does not exist in organization {organization}.", hint, null, ErrorCategory.Api), outcome);
    }

    private static ExecutionOutcome ApiFailure(PlanetScaleApiException ex, BotCommand command, string organization, ChangeProgress progress)
    {
        var tokenId = TokenIdOf(command);
        var (message, hint) = ex.Kind switch
        {
            PlanetScaleErrorKind.NotFound when tokenId is not null => (
                $"Token {tokenId} does not exist in organization {organization}.",
                "Check the token id with `service-token list`; a 404 can also mean the bot's PlanetScale credentials lack access."),
            PlanetScaleErrorKind.NotFound => (
                $"Organization {organization} does not exist, or the bot's PlanetScale credentials cannot see it.",
                "Check the organization name given with --org."),
            PlanetScaleErrorKind.Unauthorized => (ex.Message, "The bot's PlanetScale credentials are invalid or expired; ask the bot's operators to renew them."),
            PlanetScaleErrorKind.Forbidden => (ex.Message, "The bot's PlanetScale credentials are not allowed to do this; ask the bot's operators."),
            PlanetScaleErrorKind.Invalid => (ex.Message, "Check the permission names and scope with `help " + command.PolicyName + "`."),
            PlanetScaleErrorKind.RateLimited => (ex.Message, "PlanetScale is rate limiting the bot; try again in a minute."),
            PlanetScaleErrorKind.Malformed => (ex.Message, "PlanetScale answered something the bot could not read; the API might be down."),
            _ => (ex.Message, "PlanetScale could not be reached or failed; try again shortly."),
        };
        if (progress.ChangeSent && ex.Kind is PlanetScaleErrorKind.Timeout or PlanetScaleErrorKind.Unreachable or PlanetScaleErrorKind.ServerError)
        {
            hint += tokenId is not null
                ? $" The change may or may not have been made: check with `service-token show-access {tokenId}`."
                : " The change may or may not have been made: check with `service-token list`.";
        }

        return Fail(new ErrorResult(message, hint, null, ErrorCategory.Api), ApiOutcome(ex));
    }

    private static string ApiOutcome(PlanetScaleApiException ex) =>
        $"error: api {ex.Kind}{(ex.StatusCode is { } status ? $" ({status})" : "")}";

    private static string? TokenIdOf(BotCommand command) => command switch
    {
        ShowTokenCommand c => c.TokenId,
        DeleteTokenCommand c => c.TokenId,
        AddAccessCommand c => c.TokenId,
        DeleteAccessCommand c => c.TokenId,
        ShowAccessCommand c => c.TokenId,
        _ => null,
    };

    private static string CheckCommand(BotCommand command) =>
        TokenIdOf(command) is { } id && command is not DeleteTokenCommand ? $"show-access {id}" : "list";

    private static ExecutionOutcome Fail(ErrorResult error, string outcome) => new([error], null, outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Command {Command} failed unexpectedly: {ExceptionType}: {ExceptionMessage}")]
    private partial void LogUnexpected(string exceptionType, string exceptionMessage, string command);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not list databases to suggest a name: {ExceptionType}")]
    private partial void LogSuggestionUnavailable(string exceptionType);

    private sealed class ChangeProgress
    {
        public bool ChangeSent { get; set; }
    }
}
