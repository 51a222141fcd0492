using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;

namespace PscaleBot.Commands.Policy;

/// <summary>A validated policy file: roles say what may be done, bindings say who gets which roles where.</summary>
/// <param name="Roles">Roles in file order.</param>
/// <param name="Bindings">Bindings in file order.</param>
/// <param name="OnCall">The optional top-level <c>oncall:</c> section.</param>
/// <param name="SourcePath">The file it came from, or null when parsed from text.</param>
public sealed record PolicyDocument(
    IReadOnlyList<PolicyRole> Roles,
    IReadOnlyList<PolicyBinding> Bindings,
    OnCallSettings? OnCall,
    string? SourcePath)
{
    /// <summary>Looks a role up by name (names are case-sensitive, as written).</summary>
    public PolicyRole? FindRole(string name) => Roles.FirstOrDefault(r => r.Name == name);
}

/// <summary>
/// One role. Omitted <c>organizations</c> means only the bot's default organization (<c>PlanetScale:DefaultOrganization</c>;
/// <c>["*"]</c> written out means every one); omitted <c>databases</c> and <c>permissions</c> mean none. Deny by default
/// holds for every part: an OAuth credential that sees several organizations must not turn a role written for one into
/// a role for all.
/// </summary>
/// <param name="Name">The role's name.</param>
/// <param name="Commands">Sub-command policy names (<see cref="SubCommands.All"/>) or patterns over them.</param>
/// <param name="Organizations">Organization name patterns, or null when the role names none (then only the default organization).</param>
/// <param name="Databases">Database name patterns (only checked for commands that name a database).</param>
/// <param name="Permissions">Permission name patterns (checked for every permission a command names).</param>
/// <param name="MaxDuration">Longest time-bound grant without approval; when set, <c>add-access</c> must say <c>--for</c>.</param>
/// <param name="Approval">The approval rule for <c>add-access</c>, or null when grants need no approval.</param>
/// <param name="Line">Where the role is declared.</param>
/// <param name="ManageBotToken">
/// <c>manage_bot_token: true</c>: the role may change the bot's own credential token (delete it, add or remove its
/// accesses). Off by default, because such a change can lock the bot out of every later grant and revocation.
/// </param>
public sealed record PolicyRole(
    string Name,
    GlobSet Commands,
    GlobSet? Organizations,
    GlobSet Databases,
    GlobSet Permissions,
    TimeSpan? MaxDuration,
    ApprovalRule? Approval,
    int Line,
    bool ManageBotToken = false);

/// <summary>A role's approval settings for time-bound <c>add-access</c> grants.</summary>
/// <param name="RequiredFor">Which grants need approval.</param>
/// <param name="Requirement">What they need, in the shape the access-request workflow consumes.</param>
public sealed record ApprovalRule(ApprovalScope RequiredFor, ApprovalRequirement Requirement);

/// <summary>
/// Which <c>add-access</c> grants need approval: all of them (<c>always</c>), or those naming any matching
/// permission OR a matching database. Either criterion is enough, so listing more never needs fewer approvals.
/// </summary>
/// <param name="Always">Every grant needs approval.</param>
/// <param name="Permissions">Permission patterns that need approval.</param>
/// <param name="Databases">Database patterns that need approval.</param>
public sealed record ApprovalScope(bool Always, GlobSet Permissions, GlobSet Databases)
{
    /// <summary>Every grant needs approval.</summary>
    public static ApprovalScope Everything { get; } = new(true, GlobSet.None, GlobSet.None);

    /// <summary>Whether a grant of <paramref name="permissions"/> on <paramref name="database"/> needs approval.</summary>
    public bool AppliesTo(IReadOnlyList<string> permissions, string? database) =>
        Always
        || permissions.Any(Permissions.IsMatch)
        || database is not null && Databases.IsMatch(database);
}

/// <summary>A binding: in any of <see cref="Where"/>, anyone matching <see cref="Who"/> gets <see cref="Roles"/>.</summary>
/// <param name="Where">Place keys (<c>slack:channel:C…</c>, <c>teams:team:…</c>, <c>direct</c>, <c>shell</c>, <c>*</c>).</param>
/// <param name="Who">Qualified user or group ids, or <c>*</c>.</param>
/// <param name="Roles">Role names.</param>
/// <param name="Line">Where the binding is declared.</param>
public sealed record PolicyBinding(IReadOnlyList<string> Where, IReadOnlyList<string> Who, IReadOnlyList<string> Roles, int Line)
{
    /// <summary>Whether the binding applies in <paramref name="place"/> (ids compared ignoring case).</summary>
    public bool AppliesIn(ChatPlace place) =>
        Where.Any(w => w == PolicyIds.Anything || place.Ids.Contains(w, StringComparer.OrdinalIgnoreCase));

    /// <summary>Whether the binding names <paramref name="caller"/> (user id, any group id, or <c>*</c>).</summary>
    /// <param name="caller">Who asks.</param>
    /// <param name="anyoneMayMatch">Whether <c>*</c> may match this caller: false for a caller from a tenant the bot does not serve.</param>
    public bool AppliesTo(ChatIdentity caller, bool anyoneMayMatch = true) =>
        Who.Any(w => w == PolicyIds.Anything ? anyoneMayMatch : caller.AllIds.Contains(w, StringComparer.OrdinalIgnoreCase));
}

/// <summary>The top-level <c>oncall:</c> section, used by the access-request workflow: at least one source of who is on call.</summary>
/// <param name="Schedule">The schedule file as written, or null when only an on-call service is consulted.</param>
/// <param name="SchedulePath">The schedule file's full path (relative paths resolve against the policy file's folder), or null.</param>
/// <param name="PagerDuty">The PagerDuty schedules and escalation policies to consult, or null.</param>
/// <param name="Opsgenie">The Opsgenie schedules to consult, or null.</param>
public sealed record OnCallSettings(string? Schedule, string? SchedulePath, PagerDutyOnCallSource? PagerDuty = null, OpsgenieOnCallSource? Opsgenie = null);

/// <summary>The <c>oncall: pagerduty:</c> section: whoever PagerDuty lists as on call for these is on call.</summary>
/// <param name="ScheduleIds">PagerDuty schedule ids (<c>schedule_ids</c>).</param>
/// <param name="EscalationPolicyIds">PagerDuty escalation policy ids (<c>escalation_policy_ids</c>).</param>
/// <param name="EscalationLevels">Only on-calls at these escalation levels count (<c>escalation_levels</c>); empty means every level.</param>
public sealed record PagerDutyOnCallSource(IReadOnlyList<string> ScheduleIds, IReadOnlyList<string> EscalationPolicyIds, IReadOnlyList<int> EscalationLevels);

/// <summary>The <c>oncall: opsgenie:</c> section: whoever Opsgenie lists as on call in these schedules is on call.</summary>
/// <param name="ScheduleIds">Opsgenie schedule ids (<c>schedule_ids</c>).</param>
public sealed record OpsgenieOnCallSource(IReadOnlyList<string> ScheduleIds);
