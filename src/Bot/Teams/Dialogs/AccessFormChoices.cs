using Microsoft.Extensions.Options;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Permissions;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Bot.Teams.Dialogs;

/// <summary>
/// What the access request form offers one person in one place: the organization's tokens and the databases and
/// permissions their roles allow for <c>add-access</c>, the durations up to their rule's maximum, and whether a reason
/// is required. A list PlanetScale could not give becomes a text field; the policy still decides on submit.
/// </summary>
/// <param name="Tokens">Token ids and names; empty means a text field.</param>
/// <param name="Databases">Database names; empty means a text field.</param>
/// <param name="Permissions">Database permissions the policy allows.</param>
/// <param name="Durations">Durations up to the maximum, shortest first.</param>
/// <param name="ReasonRequired">Whether the rule requires a reason.</param>
/// <param name="Unavailable">Why nothing may be requested here, or null.</param>
internal sealed record AccessFormChoices(
    IReadOnlyList<(string Id, string? Name)> Tokens,
    IReadOnlyList<string> Databases,
    IReadOnlyList<PermissionInfo> Permissions,
    IReadOnlyList<TimeSpan> Durations,
    bool ReasonRequired,
    string? Unavailable);

/// <summary>Works out <see cref="AccessFormChoices"/> from the live policy and PlanetScale.</summary>
internal sealed partial class AccessFormChoiceSource(
    PolicyStore policy,
    IPlanetScaleService planetScale,
    IOptions<PlanetScaleOptions> planetScaleOptions,
    TimeProvider time,
    ILogger<AccessFormChoiceSource> logger)
{
    /// <summary>How long the lists may take: the dialog must open within Teams' five seconds.</summary>
    internal static readonly TimeSpan ListBudget = TimeSpan.FromSeconds(2.5);

    private static readonly TimeSpan[] Steps =
    [
        TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2),
        TimeSpan.FromHours(4), TimeSpan.FromHours(8), TimeSpan.FromHours(12), TimeSpan.FromDays(1),
    ];

    /// <summary>The organization requests are made in.</summary>
    public string Organization => planetScaleOptions.Value.DefaultOrganization;

    /// <summary>The choices for <paramref name="caller"/> in <paramref name="place"/>.</summary>
    public async Task<AccessFormChoices> ForAsync(ChatIdentity caller, ChatPlace place, CancellationToken cancellationToken)
    {
        var evaluator = policy.Current;
        var roles = evaluator.RolesFor(caller, place)
            .Select(evaluator.Document.FindRole)
            .OfType<PolicyRole>()
            .Where(r => r.Commands.IsMatch("add-access"))
            .ToList();
        if (roles.Count == 0)
        {
            return new([], [], [], [], false,
                $"None of your roles in {place.DisplayName} may request access (`add-access`). Ask where your team's roles apply, or run `whoami` to see yours here.");
        }

        using var budget = new CancellationTokenSource(ListBudget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        var tokensRead = ReadAsync(() => planetScale.ListTokensAsync(Organization, linked.Token), "tokens");
        var databasesRead = ReadAsync(() => planetScale.ListDatabasesAsync(Organization, linked.Token), "databases");
        var tokens = await tokensRead;
        var databases = await databasesRead;

        var ownToken = planetScaleOptions.Value.ServiceTokenId;
        var maxima = roles.Select(r => r.Approval?.Requirement.MaxDuration ?? r.MaxDuration).ToList();
        var max = maxima.Any(m => m is null) ? Steps[^1] : maxima.Max()!.Value;
        return new AccessFormChoices(
            [.. (tokens ?? []).Where(t => !string.Equals(t.Id, ownToken, StringComparison.Ordinal)).OrderBy(t => t.Name ?? t.Id, StringComparer.OrdinalIgnoreCase).Select(t => (t.Id, t.Name))],
            databases is null
                ? [.. roles.SelectMany(r => r.Databases.Globs).Where(g => g.IsLiteral).Select(g => g.Pattern).Distinct(StringComparer.Ordinal)]
                : [.. databases.Where(d => roles.Any(r => r.Databases.IsMatch(d))).Order(StringComparer.Ordinal)],
            [.. PermissionCatalog.All.Where(p => p.Scope == ResourceKind.Database && roles.Any(r => r.Permissions.IsMatch(p.Name)))],
            [.. Steps.Where(s => s <= max).DefaultIfEmpty(max)],
            roles.Any(r => r.Approval?.Requirement.ReasonRequired == true),
            null);
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
