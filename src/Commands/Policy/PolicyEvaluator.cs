using System.Collections.Frozen;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;

namespace PscaleBot.Commands.Policy;

/// <summary>
/// Decides requests against one immutable <see cref="PolicyDocument"/>.
/// <para><b>Roles here.</b> A role is bound to the caller in a place when some binding's <c>where</c> holds any of
/// <see cref="ChatPlace.Ids"/> (or <c>*</c>) and its <c>who</c> holds the caller's user id, any of the caller's group
/// ids (or <c>*</c>). <c>*</c> means anyone from a tenant the bot serves: every <see cref="ITenantAllowList"/> must
/// allow the caller. Ids compare ignoring case; display names are never used.</para>
/// <para><b>Allowed</b> when at least one of those roles, <i>by itself</i>, allows the sub-command, the organization,
/// the database (commands that name one) and every permission named. Two roles are never combined to cover one
/// request: a role is the unit an owner reviews, and combining would grant pairs no single role was written to allow.
/// <c>help</c> and <c>whoami</c> are always allowed. Anything else is denied, naming the part that failed for the
/// role that got furthest.</para>
/// <para><b>add-access</b> under a covering role is then shaped by durations and approval, role by role:
/// when the role's approval rule applies (<see cref="ApprovalScope"/>), <c>--for</c> above the rule's
/// <c>max_duration</c> fails; <c>--break-glass</c> where the rule allows it is allowed at once (it must be
/// time-bound); otherwise the role yields "needs approval". When no rule applies and the role has
/// <c>max_duration</c>, the grant must say <c>--for</c> no longer than it.</para>
/// <para><b>Precedence</b> across the caller's roles here: any role that allows without approval wins
/// (<see cref="PolicyDecision.Allowed"/>, listing every such role); else, among roles that need approval, the one
/// needing the fewest approvals (ties: the first bound) gives the <see cref="ApprovalRequirement"/>; else denied.</para>
/// </summary>
public sealed class PolicyEvaluator : IAuthorizationPolicy
{
    private enum Stage { Command, Organization, Database, Permission, Duration, NeedsApproval, Allowed }

    private readonly FrozenDictionary<string, PolicyRole> _roles;
    private readonly IReadOnlyList<ITenantAllowList> _tenants;

    /// <summary>Creates an evaluator over a validated document.</summary>
    /// <param name="document">The policy.</param>
    /// <param name="defaultOrganization">
    /// <c>PlanetScale:DefaultOrganization</c>: the only organization a role that names none allows; with none
    /// configured, such a role allows no organization.
    /// </param>
    /// <param name="tenants">Who counts as "anyone" for <c>who: "*"</c>; none means every caller's tenant is served.</param>
    public PolicyEvaluator(PolicyDocument document, string? defaultOrganization = null, IEnumerable<ITenantAllowList>? tenants = null)
    {
        Document = document;
        _tenants = [.. tenants ?? []];
        // A literal only: an organization name with a wildcard in it must not widen the default.
        var defaultOnly = string.IsNullOrWhiteSpace(defaultOrganization) || Glob.TryCompile(defaultOrganization.Trim(), out _) is not { IsLiteral: true } literal
            ? GlobSet.None
            : new GlobSet([literal]);
        _roles = document.Roles
            .Select(r => r.Organizations is null ? r with { Organizations = defaultOnly } : r)
            .ToFrozenDictionary(r => r.Name, StringComparer.Ordinal);
    }

    /// <summary>The document decisions are made against.</summary>
    public PolicyDocument Document { get; }

    /// <inheritdoc />
    public PolicyDecision Authorize(ChatIdentity caller, ChatPlace place, BotCommand command, string organization) =>
        Decide(caller, place, Request.From(command, organization));

    /// <inheritdoc />
    public PolicyDecision AuthorizeExtension(ChatIdentity caller, ChatPlace place, AddAccessCommand lifetime, string organization) =>
        Decide(caller, place, Request.From(lifetime, organization) with { Extension = true });

    private PolicyDecision Decide(ChatIdentity caller, ChatPlace place, Request request)
    {
        var roles = BoundRoles(caller, place);
        if (SubCommands.AlwaysAllowed.Contains(request.Command))
        {
            return new PolicyDecision.Allowed([.. roles.Select(r => r.Name)]);
        }

        if (roles.Count == 0)
        {
            return new PolicyDecision.Denied($"you have no role in {Label(place)}", Elsewhere(caller, place, request));
        }

        var outcomes = roles.Select(r => Evaluate(r, request)).ToArray();
        var allowed = outcomes.Where(o => o.Stage == Stage.Allowed).ToArray();
        if (allowed.Length > 0)
        {
            return new PolicyDecision.Allowed([.. allowed.Select(o => o.Role.Name)]);
        }

        var gated = outcomes.Where(o => o.Stage == Stage.NeedsApproval).ToArray();
        if (gated.Length > 0)
        {
            var chosen = gated.MinBy(o => o.Role.Approval!.Requirement.RequiredApprovals)!;
            return new PolicyDecision.NeedsApproval(
                [chosen.Role.Name, .. gated.Where(o => o != chosen).Select(o => o.Role.Name)],
                chosen.Role.Approval!.Requirement);
        }

        return Deny(caller, place, request, roles, outcomes);
    }

    /// <inheritdoc />
    public IReadOnlyList<string> RolesFor(ChatIdentity caller, ChatPlace place) => [.. BoundRoles(caller, place).Select(r => r.Name)];

    /// <inheritdoc />
    public bool AllowsSubCommand(ChatIdentity caller, ChatPlace place, string policyName) =>
        SubCommands.AlwaysAllowed.Contains(policyName) || BoundRoles(caller, place).Any(r => r.Commands.IsMatch(policyName));

    /// <inheritdoc />
    public bool IsApprover(ChatIdentity approver, ChatPlace place, ApprovalRequirement requirement)
    {
        List<PolicyRole>? rolesHere = null;
        foreach (var entry in requirement.Approvers)
        {
            if (entry.StartsWith(PolicyIds.RolePrefix, StringComparison.Ordinal))
            {
                rolesHere ??= BoundRoles(approver, place);
                var name = entry[PolicyIds.RolePrefix.Length..];
                if (rolesHere.Any(r => r.Name == name))
                {
                    return true;
                }
            }
            else if (approver.AllIds.Contains(entry, StringComparer.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public bool MayManageBotToken(ChatIdentity caller, ChatPlace place, BotCommand command, string organization)
    {
        // The permission must sit on a role that allows the command by itself, as every other right here does.
        var request = Request.From(command, organization);
        return BoundRoles(caller, place).Any(r => r.ManageBotToken && Evaluate(r, request).Stage is Stage.Allowed or Stage.NeedsApproval);
    }

    /// <summary>The sub-commands (beyond help and whoami) the caller may run here, in <see cref="SubCommands.All"/> order.</summary>
    public IReadOnlyList<string> CommandsFor(ChatIdentity caller, ChatPlace place)
    {
        var roles = BoundRoles(caller, place);
        return [.. SubCommands.All.Where(c => !SubCommands.AlwaysAllowed.Contains(c) && roles.Any(r => r.Commands.IsMatch(c)))];
    }

    private List<PolicyRole> BoundRoles(ChatIdentity caller, ChatPlace place)
    {
        var roles = new List<PolicyRole>();
        foreach (var binding in Document.Bindings)
        {
            if (!binding.AppliesIn(place) || !binding.AppliesTo(caller, FromServedTenant(caller)))
            {
                continue;
            }

            foreach (var name in binding.Roles)
            {
                if (_roles.TryGetValue(name, out var role) && !roles.Contains(role))
                {
                    roles.Add(role);
                }
            }
        }

        return roles;
    }

    private bool FromServedTenant(ChatIdentity caller) => _tenants.All(t => t.Allows(caller));

    private static Outcome Evaluate(PolicyRole role, Request request)
    {
        if (!role.Commands.IsMatch(request.Command))
        {
            return new(role, Stage.Command);
        }

        if (!role.Organizations!.IsMatch(request.Organization))
        {
            return new(role, Stage.Organization);
        }

        if (request.Database is { } database && !role.Databases.IsMatch(database))
        {
            return new(role, Stage.Database);
        }

        var missing = request.Permissions.Where(p => !role.Permissions.IsMatch(p)).ToArray();
        if (missing.Length > 0)
        {
            return new(role, Stage.Permission) { MissingPermissions = missing };
        }

        if (request.Grant is not { } grant)
        {
            return new(role, Stage.Allowed);
        }

        if (role.Approval is { } rule && rule.RequiredFor.AppliesTo(grant.Permissions, grant.Database))
        {
            var requirement = rule.Requirement;
            if (grant.Duration > requirement.MaxDuration)
            {
                return new(role, Stage.Duration) { Limit = requirement.MaxDuration };
            }

            if (grant.BreakGlass && requirement.BreakGlassAllowed)
            {
                // Break-glass skips the approvers, never the clock: an open-ended emergency grant would outlive the emergency.
                return grant.Duration is null
                    ? new(role, Stage.Duration) { Limit = requirement.MaxDuration, DurationMissing = true, BreakGlass = true }
                    : new(role, Stage.Allowed);
            }

            return new(role, Stage.NeedsApproval);
        }

        if (role.MaxDuration is { } max)
        {
            if (grant.Duration is null)
            {
                return new(role, Stage.Duration) { Limit = max, DurationMissing = true };
            }

            if (grant.Duration > max)
            {
                // An extension past the role's own ceiling is what its approval rule is for; without one, it is refused.
                return request.Extension && role.Approval is { } ceilingRule && grant.Duration <= ceilingRule.Requirement.MaxDuration
                    ? new(role, Stage.NeedsApproval)
                    : new(role, Stage.Duration) { Limit = max };
            }
        }

        return new(role, Stage.Allowed);
    }

    private PolicyDecision.Denied Deny(ChatIdentity caller, ChatPlace place, Request request, List<PolicyRole> roles, Outcome[] outcomes)
    {
        var deepest = outcomes.Max(o => o.Stage);
        var failing = outcomes.Where(o => o.Stage == deepest).ToArray();
        var elsewhere = Elsewhere(caller, place, request);
        string reason;
        TimeSpan? maxDuration = null;
        var alternative = elsewhere;
        switch (deepest)
        {
            case Stage.Command:
                reason = $"`{request.Command}` is not allowed for you in {Label(place)} (roles here: {string.Join(", ", roles.Select(r => r.Name))})";
                var here = CommandsFor(caller, place);
                alternative = Join(here.Count > 0 ? $"here you may run: {string.Join(", ", here)}" : null, elsewhere);
                break;
            case Stage.Organization:
                reason = $"organization `{request.Organization}` is outside your roles' organizations here ({Union(outcomes, Stage.Organization, r => r.Organizations!)})";
                break;
            case Stage.Database:
                reason = $"database `{request.Database}` is outside your roles' databases here ({Union(outcomes, Stage.Database, r => r.Databases)})";
                break;
            case Stage.Permission:
                reason = string.Join("; ", failing.Select(o =>
                    o.MissingPermissions.Length == 1
                        ? $"permission `{o.MissingPermissions[0]}` is not allowed for role {o.Role.Name}"
                        : $"permissions {string.Join(", ", o.MissingPermissions.Select(p => $"`{p}`"))} are not allowed for role {o.Role.Name}"));
                if (failing.Length > 1 && request.Permissions.All(p => failing.Any(o => !o.MissingPermissions.Contains(p))))
                {
                    reason += " (one role must allow the whole request by itself)";
                    alternative = Join("ask for the permissions in separate add-access commands, one role's worth each", elsewhere);
                }

                break;
            default:
                var widest = failing.MaxBy(o => o.Limit)!;
                var limit = PolicyDuration.Format(widest.Limit);
                if (widest.DurationMissing && widest.BreakGlass)
                {
                    reason = $"break-glass grants must be time-bound: role {widest.Role.Name} allows at most {limit}";
                }
                else if (widest.DurationMissing)
                {
                    reason = $"role {widest.Role.Name} grants only time-bound access, at most {limit}";
                }
                else
                {
                    reason = $"`--for {PolicyDuration.Format(request.Grant!.Duration!.Value)}` is longer than the maximum of {limit} for role {widest.Role.Name}";
                }

                alternative = Join($"add `--for {limit}` or less", elsewhere);
                maxDuration = widest.Limit;
                break;
        }

        return new PolicyDecision.Denied(reason, alternative) { MaxDuration = maxDuration };
    }

    // Places (of the caller's platform) where the caller's own bindings would allow or route this request. Only place
    // keys the caller is bound in are named, so nothing about other people's rights leaks.
    private string? Elsewhere(ChatIdentity caller, ChatPlace place, Request request)
    {
        var places = new List<string>();
        foreach (var binding in Document.Bindings)
        {
            if (!binding.AppliesTo(caller, FromServedTenant(caller)) || binding.AppliesIn(place))
            {
                continue;
            }

            var grants = binding.Roles.Any(n => _roles.TryGetValue(n, out var role) && Evaluate(role, request).Stage >= Stage.NeedsApproval);
            if (!grants)
            {
                continue;
            }

            foreach (var where in binding.Where)
            {
                if (IsReachable(where, caller.Platform) && !places.Contains(where, StringComparer.OrdinalIgnoreCase))
                {
                    places.Add(where);
                }
            }
        }

        return places.Count == 0
            ? null
            : "ask in " + string.Join(" or ", places.Take(3).Select(p => p == PolicyIds.Direct ? "a direct message with the bot" : p));
    }

    private static bool IsReachable(string where, ChatPlatform platform) => platform switch
    {
        ChatPlatform.Slack => where == PolicyIds.Direct || where.StartsWith("slack:", StringComparison.Ordinal),
        ChatPlatform.Teams => where == PolicyIds.Direct || where.StartsWith("teams:", StringComparison.Ordinal),
        _ => where == PolicyIds.Shell,
    };

    private static string Union(Outcome[] outcomes, Stage failedAt, Func<PolicyRole, GlobSet> patterns)
    {
        var all = outcomes.Where(o => o.Stage >= failedAt).SelectMany(o => patterns(o.Role).Globs.Select(g => g.Pattern))
            .Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        return all.Length == 0 ? "none" : string.Join(", ", all);
    }

    private static string Label(ChatPlace place) => string.IsNullOrWhiteSpace(place.DisplayName) ? place.PrimaryId : place.DisplayName;

    private static string? Join(string? first, string? second) =>
        first is null ? second : second is null ? first : $"{first}; or {second}";

    private sealed record Outcome(PolicyRole Role, Stage Stage)
    {
        public string[] MissingPermissions { get; init; } = [];
        public TimeSpan Limit { get; init; }
        public bool DurationMissing { get; init; }
        public bool BreakGlass { get; init; }
    }

    private sealed record Request(string Command, string Organization, string? Database, IReadOnlyList<string> Permissions, AddAccessCommand? Grant)
    {
        /// <summary>True when <see cref="Grant"/> is an extension, its duration the grant's whole lifetime.</summary>
        public bool Extension { get; init; }

        public static Request From(BotCommand command, string organization) => command switch
        {
            AddAccessCommand add => new(add.PolicyName, organization, add.Database, add.Permissions, add),
            DeleteAccessCommand delete => new(delete.PolicyName, organization, delete.Database, delete.Permissions, null),
            RotateTokenCommand { Scope: { } scope } rotate => new(rotate.PolicyName, organization, scope.Database, scope.Permissions, null),
            _ => new(command.PolicyName, organization, null, [], null),
        };
    }
}
