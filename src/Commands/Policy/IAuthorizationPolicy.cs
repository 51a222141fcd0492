using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;

namespace PscaleBot.Commands.Policy;

/// <summary>The channel-role authorisation policy. Deny by default: no matching rule, no action.</summary>
public interface IAuthorizationPolicy
{
    /// <summary>Decides whether <paramref name="caller"/> may run <paramref name="command"/> in <paramref name="place"/> against <paramref name="organization"/>.</summary>
    PolicyDecision Authorize(ChatIdentity caller, ChatPlace place, BotCommand command, string organization);

    /// <summary>The names of the roles bound to the caller in this place (for <c>whoami</c>).</summary>
    IReadOnlyList<string> RolesFor(ChatIdentity caller, ChatPlace place);

    /// <summary>Whether any role of the caller here allows the sub-command at all (for <c>help</c>).</summary>
    bool AllowsSubCommand(ChatIdentity caller, ChatPlace place, string policyName);

    /// <summary>
    /// Whether <paramref name="approver"/>, acting in <paramref name="place"/> (where role bindings are
    /// resolved), may approve a request governed by <paramref name="requirement"/>.
    /// </summary>
    bool IsApprover(ChatIdentity approver, ChatPlace place, ApprovalRequirement requirement);

    /// <summary>
    /// Whether a role of the caller here that carries <c>manage_bot_token: true</c> allows <paramref name="command"/>
    /// by itself, so it may change the bot's own credential token. False unless a policy says so: fail closed.
    /// </summary>
    bool MayManageBotToken(ChatIdentity caller, ChatPlace place, BotCommand command, string organization) => false;

    /// <summary>
    /// Decides an extension as the grant it would make: <paramref name="lifetime"/> carries the grant's whole lifetime
    /// (from when it was granted to its new end) in <see cref="AddAccessCommand.Duration"/>. A role's own
    /// <c>max_duration</c> bounds that lifetime; past it, the role's approval rule (when it has one) decides instead.
    /// The default decides it as a new grant of that lifetime, which is never looser.
    /// </summary>
    PolicyDecision AuthorizeExtension(ChatIdentity caller, ChatPlace place, AddAccessCommand lifetime, string organization) =>
        Authorize(caller, place, lifetime, organization);
}

/// <summary>The outcome of a policy check; every variant names its reason.</summary>
public abstract record PolicyDecision
{
    private PolicyDecision() { }

    /// <summary>Allowed by the named roles.</summary>
    public sealed record Allowed(IReadOnlyList<string> Roles) : PolicyDecision;

    /// <summary>Denied.</summary>
    /// <param name="Reason">Which part was not allowed (sub-command, organization, database, permission, place).</param>
    /// <param name="Alternative">What the caller may do here instead, or null when nothing.</param>
    public sealed record Denied(string Reason, string? Alternative) : PolicyDecision
    {
        /// <summary>The longest duration allowed, when the denial is about <c>--for</c> being too long; else null.</summary>
        public TimeSpan? MaxDuration { get; init; }
    }

    /// <summary>Allowed only after approval (time-bound grants under a role that requires it).</summary>
    public sealed record NeedsApproval(IReadOnlyList<string> Roles, ApprovalRequirement Requirement) : PolicyDecision;
}

/// <summary>What an approval-gated grant needs, as the policy file's role says.</summary>
/// <param name="Role">The role whose rule applies.</param>
/// <param name="Approvers">Qualified identities or <c>role:&lt;name&gt;</c> entries who may approve.</param>
/// <param name="RequiredApprovals">Distinct approvers needed (2 for the two-person rule).</param>
/// <param name="DefaultDuration">Used when <c>--for</c> is absent.</param>
/// <param name="MaxDuration">Longest grant allowed.</param>
/// <param name="ReasonRequired">Whether <c>--reason</c> is required.</param>
/// <param name="BreakGlassAllowed">Whether <c>--break-glass</c> may skip approval.</param>
/// <param name="RequestChannels">Where requests are posted, per platform (<c>slack:channel:C…</c>, <c>teams:channel:19:…</c>).</param>
/// <param name="RequestTimeout">How long a request may wait for approval before it expires.</param>
/// <param name="OnCallAutoApprove">Whether whoever is on call is approved automatically.</param>
public sealed record ApprovalRequirement(
    string Role,
    IReadOnlyList<string> Approvers,
    int RequiredApprovals,
    TimeSpan DefaultDuration,
    TimeSpan MaxDuration,
    bool ReasonRequired,
    bool BreakGlassAllowed,
    IReadOnlyDictionary<ChatPlatform, string> RequestChannels,
    TimeSpan RequestTimeout,
    bool OnCallAutoApprove);
