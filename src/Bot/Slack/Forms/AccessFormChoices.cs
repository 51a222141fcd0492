using Microsoft.Extensions.Options;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Permissions;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Bot.Slack.Forms;

/// <summary>What the request form offers one person in one place: only what the policy would let them ask for.</summary>
/// <param name="Organization">The organization requests go to (<c>PlanetScale:DefaultOrganization</c>).</param>
/// <param name="Databases">The organization's databases some permission may be asked for on.</param>
/// <param name="Permissions">Permissions that may be asked for on some database (or the organization).</param>
/// <param name="Durations">Lengths within the rule's maximum, shortest first.</param>
/// <param name="ReasonRequired">True when the rule requires a reason.</param>
/// <param name="Problem">Why nothing can be offered (no role, PlanetScale unreachable), or null.</param>
public sealed record AccessFormChoices(
    string Organization,
    IReadOnlyList<string> Databases,
    IReadOnlyList<PermissionInfo> Permissions,
    IReadOnlyList<TimeSpan> Durations,
    bool ReasonRequired,
    string? Problem)
{
    /// <summary>True when the form can be filled in at all.</summary>
    public bool CanRequest => Problem is null && Permissions.Count > 0 && Durations.Count > 0;
}

/// <summary>
/// Works out <see cref="AccessFormChoices"/> by asking the policy about each (database, permission, duration), exactly
/// as a typed <c>add-access</c> would be decided, so the form never offers what the command would refuse.
/// </summary>
public sealed class AccessFormPolicy(IAuthorizationPolicy policy, IPlanetScaleService planetScale, IOptions<PlanetScaleOptions> options)
{
    /// <summary>The lengths a form offers, before the policy trims them.</summary>
    public static readonly IReadOnlyList<TimeSpan> CandidateDurations =
        [.. new[] { 0.5, 1, 2, 4, 8, 12, 24, 72, 168 }.Select(TimeSpan.FromHours)];

    private static readonly IReadOnlyList<string?> OrganizationOnly = [null];

    // The policy does not look at which token; the form's own token choice is checked again when it is submitted.
    private const string AnyToken = "form-probe";

    /// <summary>The organization requests go to.</summary>
    public string Organization => options.Value.DefaultOrganization;

    /// <summary>The choices for <paramref name="caller"/> in <paramref name="place"/>.</summary>
    public async Task<AccessFormChoices> ChoicesAsync(ChatIdentity caller, ChatPlace place, CancellationToken cancellationToken)
    {
        var organization = options.Value.DefaultOrganization;
        if (!policy.AllowsSubCommand(caller, place, "add-access"))
        {
            return Nothing(organization, $"You have no role that may ask for database access in {place.DisplayName}. Ask in a channel where you have one.");
        }

        IReadOnlyList<string> databases;
        try
        {
            databases = await planetScale.ListDatabasesAsync(organization, cancellationToken);
        }
        catch (PlanetScaleApiException)
        {
            return Nothing(organization, "PlanetScale could not be reached to list the databases, so the form cannot be filled in now. Try again in a minute.");
        }

        var allowedDatabases = new List<string>();
        var permissions = new List<PermissionInfo>();
        (string? Database, string Permission)? first = null;
        foreach (var permission in PermissionCatalog.All)
        {
            IReadOnlyList<string?> resources = permission.Scope == ResourceKind.Database ? [.. databases] : OrganizationOnly;
            foreach (var database in resources)
            {
                if (Decide(caller, place, organization, database, [permission.Name], CandidateDurations[0]) is PolicyDecision.Denied)
                {
                    continue;
                }

                first ??= (database, permission.Name);
                if (!permissions.Contains(permission))
                {
                    permissions.Add(permission);
                }

                if (database is not null && !allowedDatabases.Contains(database, StringComparer.Ordinal))
                {
                    allowedDatabases.Add(database);
                }
            }
        }

        if (first is not { } probe)
        {
            return Nothing(organization, $"Your roles in {place.DisplayName} allow no permission on any database of {organization}.");
        }

        var durations = CandidateDurations
            .Where(d => Decide(caller, place, organization, probe.Database, [probe.Permission], d) is not PolicyDecision.Denied)
            .ToList();
        var reasonRequired = Decide(caller, place, organization, probe.Database, [probe.Permission], durations.FirstOrDefault()) is PolicyDecision.NeedsApproval { Requirement.ReasonRequired: true };
        return new AccessFormChoices(organization, allowedDatabases, permissions, durations, reasonRequired, null);
    }

    /// <summary>True when the policy requires a reason for this exact request.</summary>
    public bool ReasonRequired(ChatIdentity caller, ChatPlace place, string? database, IReadOnlyList<string> permissions, TimeSpan duration) =>
        Decide(caller, place, options.Value.DefaultOrganization, database, permissions, duration) is PolicyDecision.NeedsApproval { Requirement.ReasonRequired: true };

    /// <summary>True when <paramref name="caller"/> may ask for access here at all (token suggestions are offered only then).</summary>
    public bool MayRequest(ChatIdentity caller, ChatPlace place) => policy.AllowsSubCommand(caller, place, "add-access");

    private PolicyDecision Decide(ChatIdentity caller, ChatPlace place, string organization, string? database, IReadOnlyList<string> permissions, TimeSpan duration) =>
        policy.Authorize(caller, place, new AddAccessCommand(CommonOptions.Default, AnyToken, permissions, database, duration), organization);

    private static AccessFormChoices Nothing(string organization, string problem) => new(organization, [], [], [], false, problem);
}
