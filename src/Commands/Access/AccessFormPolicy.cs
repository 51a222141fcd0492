using Microsoft.Extensions.Options;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Permissions;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Commands.Access;

/// <summary>
/// What an access request form offers one person in one place: only what the policy would let them ask for with a
/// typed <c>add-access</c>. Every chat platform draws its form from this.
/// </summary>
/// <param name="Organization">The organization requests go to (<c>PlanetScale:DefaultOrganization</c>).</param>
/// <param name="Databases">The organization's databases some offered permission may be asked for on, in name order.</param>
/// <param name="DatabasesListed">
/// False when PlanetScale could not list the databases: <paramref name="Databases"/> is then empty, the platform may
/// take a typed name instead, and the policy decides that name when the form is submitted.
/// </param>
/// <param name="Permissions">Permissions that may be asked for on some database (or the organization), in catalog order.</param>
/// <param name="Durations">Lengths the policy allows for some offered request, shortest first.</param>
/// <param name="ReasonRequired">True when every offered request needs a reason (the exact request is checked on submit).</param>
/// <param name="Problem">Why nothing can be offered (no role here, nothing allowed), or null.</param>
public sealed record AccessFormChoices(
    string Organization,
    IReadOnlyList<string> Databases,
    bool DatabasesListed,
    IReadOnlyList<PermissionInfo> Permissions,
    IReadOnlyList<TimeSpan> Durations,
    bool ReasonRequired,
    string? Problem)
{
    /// <summary>True when the form can be filled in at all.</summary>
    public bool CanRequest => Problem is null && Permissions.Count > 0 && Durations.Count > 0;
}

/// <summary>
/// Works out <see cref="AccessFormChoices"/> by asking <see cref="IAuthorizationPolicy"/> about each (database,
/// permission, duration) exactly as a typed <c>add-access</c> would be decided, so a form never offers what the command
/// would refuse: organizations, per-database rules, approval rules and any later rule all come along without a copy
/// of them here. The submitted form still runs as the typed command, so the policy has the last word.
/// </summary>
public sealed class AccessFormPolicy(IAuthorizationPolicy policy, IPlanetScaleService planetScale, IOptions<PlanetScaleOptions> options)
{
    /// <summary>The lengths a form may offer, before the policy trims them.</summary>
    public static readonly IReadOnlyList<TimeSpan> CandidateDurations =
    [
        TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(4),
        TimeSpan.FromHours(8), TimeSpan.FromHours(12), TimeSpan.FromDays(1), TimeSpan.FromDays(3), TimeSpan.FromDays(7),
    ];

    private const string AddAccess = "add-access";

    // The policy does not look at which token; the form's own token choice is checked again when it is submitted.
    private const string AnyToken = "form-probe";

    /// <summary>The organization requests go to.</summary>
    public string Organization => options.Value.DefaultOrganization;

    /// <summary>True when <paramref name="caller"/> may ask for access here at all (token lists are offered only then).</summary>
    public bool MayRequest(ChatIdentity caller, ChatPlace place) => policy.AllowsSubCommand(caller, place, AddAccess);

    /// <summary>
    /// Lists the organization's databases and returns <see cref="Choices"/> for them; when PlanetScale cannot list them
    /// the choices say so (<see cref="AccessFormChoices.DatabasesListed"/> false) instead of failing.
    /// </summary>
    public async Task<AccessFormChoices> ChoicesAsync(ChatIdentity caller, ChatPlace place, CancellationToken cancellationToken)
    {
        if (!MayRequest(caller, place))
        {
            return Choices(caller, place, []);
        }

        IReadOnlyList<string>? databases;
        try
        {
            databases = await planetScale.ListDatabasesAsync(Organization, cancellationToken);
        }
        catch (PlanetScaleApiException)
        {
            databases = null;
        }

        return Choices(caller, place, databases);
    }

    /// <summary>The choices for <paramref name="caller"/> in <paramref name="place"/> over <paramref name="databases"/>.</summary>
    /// <param name="caller">Who fills in the form.</param>
    /// <param name="place">Where the request is decided.</param>
    /// <param name="databases">The organization's databases, or null when PlanetScale could not list them.</param>
    /// <param name="databasePermissionsOnly">True for a form whose request always names a database (no organization-level permissions).</param>
    public AccessFormChoices Choices(ChatIdentity caller, ChatPlace place, IReadOnlyList<string>? databases, bool databasePermissionsOnly = false)
    {
        var organization = Organization;
        if (!MayRequest(caller, place))
        {
            return Nothing(organization, databases is not null,
                $"None of your roles in {place.DisplayName} may request access (`add-access`). Ask where your team's roles apply, or run `whoami` to see yours here.");
        }

        // Without the list, a database permission is asked about with no database named: the policy then decides every
        // part but the name (organization, role, permission, duration), i.e. what it allows for *some* database. Rules
        // that name databases (a role's databases, an approval's required_for.databases) cannot apply to no name, so
        // the durations are those allowed without them. The name typed into the form, with the rest, is decided when
        // it is submitted, exactly as the typed command is: this approximation never widens what is granted.
        IReadOnlyList<string?> probes = databases is null ? [null] : [.. databases];
        IReadOnlyList<string?> organizationOnly = [null];
        var allowed = new List<(string? Database, PermissionInfo Permission)>();
        foreach (var permission in PermissionCatalog.All)
        {
            if (databasePermissionsOnly && permission.Scope != ResourceKind.Database)
            {
                continue;
            }

            // A request the policy refuses at the shortest length is refused at every length: only "too long" depends on it.
            foreach (var database in permission.Scope == ResourceKind.Database ? probes : organizationOnly)
            {
                if (Decide(caller, place, database, [permission.Name], CandidateDurations[0]) is not PolicyDecision.Denied)
                {
                    allowed.Add((database, permission));
                }
            }
        }

        if (allowed.Count == 0)
        {
            return Nothing(organization, databases is not null, databases is null
                ? $"Your roles in {place.DisplayName} allow no permission you can ask for in {organization}."
                : $"Your roles in {place.DisplayName} allow no permission on any database of {organization}.");
        }

        var durations = CandidateDurations
            .Where(d => allowed.Any(p => Decide(caller, place, p.Database, [p.Permission.Name], d) is not PolicyDecision.Denied))
            .ToList();
        // "Required" only when no offered request could do without one: a form must not block what the policy accepts.
        var reasonRequired = allowed.All(p => NeedsReason(Decide(caller, place, p.Database, [p.Permission.Name], durations[0])));
        return new AccessFormChoices(
            organization,
            [.. allowed.Select(p => p.Database).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            databases is not null,
            [.. allowed.Select(p => p.Permission).Distinct()],
            durations,
            reasonRequired,
            null);
    }

    /// <summary>True when the policy requires a reason for this exact request.</summary>
    public bool ReasonRequired(ChatIdentity caller, ChatPlace place, string? database, IReadOnlyList<string> permissions, TimeSpan duration) =>
        NeedsReason(Decide(caller, place, database, permissions, duration));

    private PolicyDecision Decide(ChatIdentity caller, ChatPlace place, string? database, IReadOnlyList<string> permissions, TimeSpan duration) =>
        policy.Authorize(caller, place, new AddAccessCommand(CommonOptions.Default, AnyToken, permissions, database, duration), Organization);

    private static bool NeedsReason(PolicyDecision decision) => decision is PolicyDecision.NeedsApproval { Requirement.ReasonRequired: true };

    private static AccessFormChoices Nothing(string organization, bool listed, string problem) => new(organization, [], listed, [], [], false, problem);
}
