using Microsoft.Extensions.Options;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.PlanetScale;

namespace PscaleBot.Bot.Teams.Dialogs;

/// <summary>
/// What the Teams request dialog offers: the policy's <see cref="AccessFormChoices"/> (databases, permissions,
/// durations, reason) and the organization's tokens. A list PlanetScale could not give becomes a text field; the
/// policy still decides what is typed there on submit.
/// </summary>
/// <param name="Offered">What the policy allows, as every platform's form offers it.</param>
/// <param name="Tokens">Token ids and names; empty means a text field.</param>
internal sealed record DialogChoices(AccessFormChoices Offered, IReadOnlyList<(string Id, string? Name)> Tokens);

/// <summary>
/// Works out <see cref="DialogChoices"/> within Teams' time: both PlanetScale lists share <see cref="ListBudget"/>,
/// then <see cref="AccessFormPolicy"/> asks the policy about what they hold.
/// </summary>
internal sealed partial class DialogChoiceSource(
    AccessFormPolicy formPolicy,
    IPlanetScaleService planetScale,
    IOptions<PlanetScaleOptions> planetScaleOptions,
    TimeProvider time,
    ILogger<DialogChoiceSource> logger)
{
    /// <summary>How long the lists may take: the dialog must open within Teams' five seconds.</summary>
    internal static readonly TimeSpan ListBudget = TimeSpan.FromSeconds(2.5);

    /// <summary>The choices for <paramref name="caller"/> in <paramref name="place"/>.</summary>
    public async Task<DialogChoices> ForAsync(ChatIdentity caller, ChatPlace place, CancellationToken cancellationToken)
    {
        if (!formPolicy.MayRequest(caller, place))
        {
            // Nobody is shown the organization's tokens or databases where they may not ask for access.
            return new(formPolicy.Choices(caller, place, [], databasePermissionsOnly: true), []);
        }

        var organization = formPolicy.Organization;
        using var budget = new CancellationTokenSource(ListBudget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        var tokensRead = ReadAsync(() => planetScale.ListTokensAsync(organization, linked.Token), "tokens");
        var databasesRead = ReadAsync(() => planetScale.ListDatabasesAsync(organization, linked.Token), "databases");
        var tokens = await tokensRead;
        var databases = await databasesRead;

        // The dialog always sends --database, so organization-level permissions are not offered.
        var offered = formPolicy.Choices(caller, place, databases, databasePermissionsOnly: true);
        var ownToken = planetScaleOptions.Value.ServiceTokenId;
        return new(offered,
            [.. (tokens ?? []).Where(t => !string.Equals(t.Id, ownToken, StringComparison.Ordinal)).OrderBy(t => t.Name ?? t.Id, StringComparer.OrdinalIgnoreCase).Select(t => (t.Id, t.Name))]);
    }

    private async Task<IReadOnlyList<T>?> ReadAsync<T>(Func<Task<IReadOnlyList<T>>> read, string what)
    {
        try
        {
            return await read();
        }
        catch (Exception ex)
        {
            // A list is a convenience: the field becomes free text and the policy still checks what is typed.
            LogListUnavailable(what, ex.GetType().Name);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The access request form could not list {What} ({ExceptionType}); the field is free text")]
    private partial void LogListUnavailable(string what, string exceptionType);
}
