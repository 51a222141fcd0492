using Microsoft.Extensions.Logging;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;
using PscaleBot.Commands.Text;

namespace PscaleBot.Commands.Execution;

/// <summary>Tells a wrong database name apart from missing credentials, naming the closest database that exists.</summary>
public sealed partial class DatabaseSuggestions(IPlanetScaleService planetScale, ILogger<DatabaseSuggestions> logger)
{
    /// <summary>The answer to a 404 on a grant naming <paramref name="database"/>: an unknown name, else missing credentials.</summary>
    public async Task<ExecutionOutcome> NotFoundAsync(PlanetScaleApiException ex, string organization, string database, CancellationToken cancellationToken)
    {
        var outcome = PlanetScaleFailures.Outcome(ex);
        return await UnknownAsync(organization, database, cancellationToken, outcome)
            ?? ExecutionOutcome.Fail(new ErrorResult(
                $"PlanetScale answered not found for database {database} in organization {organization}.",
                "The bot's PlanetScale credentials may lack access to that database.",
                null,
                ErrorCategory.Api),
                outcome);
    }

    /// <summary>
    /// An error naming the closest existing database when <paramref name="database"/> is not in the organization's
    /// list; null when it is there or the list cannot be read (the suggestion is a courtesy, never a new failure).
    /// </summary>
    public async Task<ExecutionOutcome?> UnknownAsync(
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
        return ExecutionOutcome.Fail(new ErrorResult($"Database {database} does not exist in organization {organization}.", hint, null, ErrorCategory.Api), outcome);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not list databases to suggest a name: {ExceptionType}")]
    private partial void LogSuggestionUnavailable(string exceptionType);
}
