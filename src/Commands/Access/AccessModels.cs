using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Commands.Access;

/// <summary>Where an access request is in its life. Only <see cref="Pending"/> may change; every other state is final.</summary>
public enum AccessRequestState
{
    /// <summary>Waiting for approvals.</summary>
    Pending,
    /// <summary>Approved; the grant (or extension) was made.</summary>
    Approved,
    /// <summary>Denied by an approver.</summary>
    Denied,
    /// <summary>Withdrawn by the requester.</summary>
    Cancelled,
    /// <summary>Nobody answered within the request timeout; it can never be approved.</summary>
    Expired,
    /// <summary>Approved, but PlanetScale refused the grant (or the grant to extend had ended).</summary>
    Failed,
}

/// <summary>What a request asks for.</summary>
public enum AccessRequestKind
{
    /// <summary>A new time-bound grant.</summary>
    Grant,
    /// <summary>More time on an existing grant.</summary>
    Extension,
}

/// <summary>How an approval was given.</summary>
public enum ApprovalKind
{
    /// <summary>A person approved.</summary>
    Manual,
    /// <summary>The requester was on call and the role approves on-call people automatically.</summary>
    OnCall,
}

/// <summary>One approval of a request.</summary>
/// <param name="ApproverId">The approver's qualified user id (the roster's id for on-call approvals).</param>
/// <param name="ApproverName">For messages only.</param>
/// <param name="At">When.</param>
/// <param name="Kind">By a person or by the on-call roster.</param>
public sealed record AccessApproval(string ApproverId, string ApproverName, DateTimeOffset At, ApprovalKind Kind = ApprovalKind.Manual);

/// <summary>The person who asked and where they asked; notifications to the requester go here.</summary>
/// <param name="UserId">Qualified user id.</param>
/// <param name="DisplayName">For messages only.</param>
/// <param name="Platform">The platform they asked on.</param>
/// <param name="PlaceId">The primary policy key of the place they asked in.</param>
public sealed record AccessRequester(string UserId, string DisplayName, ChatPlatform Platform, string PlaceId)
{
    /// <summary>The requester of a chat request.</summary>
    public static AccessRequester From(ChatRequest request) =>
        new(request.Caller.UserId, request.Caller.DisplayName, request.Caller.Platform, request.Place.PrimaryId);
}

/// <summary>What a grant gives: permissions of one token on one resource of one organization.</summary>
/// <param name="Organization">The organization.</param>
/// <param name="TokenId">The service token.</param>
/// <param name="Database">The database, or null for organization-level permissions.</param>
/// <param name="Permissions">Distinct permission names.</param>
public sealed record AccessTarget(string Organization, string TokenId, string? Database, IReadOnlyList<string> Permissions)
{
    /// <summary>True when <paramref name="other"/> is the same token and resource (permissions aside).</summary>
    public bool SameResource(AccessTarget other) =>
        string.Equals(Organization, other.Organization, StringComparison.Ordinal)
        && string.Equals(TokenId, other.TokenId, StringComparison.Ordinal)
        && string.Equals(Database, other.Database, StringComparison.Ordinal);

    /// <summary>The resource as people read it (<c>prod</c> or <c>organization acme</c>).</summary>
    public string ResourceText => Database ?? $"organization {Organization}";

    /// <summary>One line: permissions, resource and token.</summary>
    public string Describe() => $"{string.Join(", ", Permissions)} on {ResourceText} for token {TokenId}";
}

/// <summary>
/// A request for time-bound access (or for more time on a grant). Changed only through version-checked
/// store updates, so two approvals or re-deliveries can never settle it twice.
/// </summary>
/// <param name="Id">Short id people type (<c>r-7kq2</c>).</param>
/// <param name="Kind">A new grant or an extension.</param>
/// <param name="Target">What is asked for.</param>
/// <param name="Duration">How long the grant should last (or how much longer, for an extension).</param>
/// <param name="Reason">Why.</param>
/// <param name="Requester">Who asked, where.</param>
/// <param name="Requirement">The policy's approval rule that applies.</param>
/// <param name="CreatedAt">When it was asked.</param>
/// <param name="ExpiresAt">When it expires unanswered.</param>
/// <param name="State">Where it is.</param>
/// <param name="Approvals">Distinct approvals so far.</param>
/// <param name="DecidedBy">Who settled it (approver, denier, requester on cancel, <c>system</c>).</param>
/// <param name="DecidedAt">When it was settled.</param>
/// <param name="DecisionNote">The deny reason, failure message or other note on the outcome.</param>
/// <param name="GrantId">The grant it made or extends.</param>
/// <param name="Version">Optimistic-concurrency version; every stored change increments it.</param>
public sealed record AccessRequest(
    string Id,
    AccessRequestKind Kind,
    AccessTarget Target,
    TimeSpan Duration,
    string? Reason,
    AccessRequester Requester,
    ApprovalRequirement Requirement,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    AccessRequestState State,
    IReadOnlyList<AccessApproval> Approvals,
    string? DecidedBy = null,
    DateTimeOffset? DecidedAt = null,
    string? DecisionNote = null,
    string? GrantId = null,
    long Version = 0)
{
    /// <summary>Distinct approvals needed; never less than one, whatever the policy file says (deny by default).</summary>
    public int RequiredApprovals => Math.Max(1, Requirement.RequiredApprovals);

    /// <summary>True when nothing can change it any more.</summary>
    public bool IsSettled => State != AccessRequestState.Pending;

    /// <summary>True when it is still pending but its time is up.</summary>
    public bool IsPastDue(DateTimeOffset now) => State == AccessRequestState.Pending && now >= ExpiresAt;

    /// <summary>Whether <paramref name="userId"/> has already approved.</summary>
    public bool HasApproved(string userId) => Approvals.Any(a => string.Equals(a.ApproverId, userId, StringComparison.Ordinal));

    /// <summary>A copy in <paramref name="state"/>; throws when the state machine forbids the move.</summary>
    public AccessRequest MoveTo(AccessRequestState state, string decidedBy, DateTimeOffset at, string? note = null, string? grantId = null)
    {
        if (!AccessRequestTransitions.IsAllowed(State, state))
        {
            throw new InvalidOperationException($"Request {Id} cannot move from {State} to {state}.");
        }

        return this with { State = state, DecidedBy = decidedBy, DecidedAt = at, DecisionNote = note, GrantId = grantId ?? GrantId };
    }
}

/// <summary>The request state machine: only a pending request moves, and never back.</summary>
public static class AccessRequestTransitions
{
    /// <summary>Whether a request may move from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool IsAllowed(AccessRequestState from, AccessRequestState to) =>
        from == AccessRequestState.Pending && to != AccessRequestState.Pending;
}

/// <summary>Whether a grant still holds.</summary>
public enum AccessGrantState
{
    /// <summary>In force (or overdue, when its end has passed and revoking has not yet succeeded).</summary>
    Active,
    /// <summary>Ended on time.</summary>
    Expired,
    /// <summary>Ended early by a person.</summary>
    Revoked,
}

/// <summary>
/// A time-bound grant. Ownership: <see cref="AddedPermissions"/> are the permissions this grant owns, the ones
/// the token did not hold when it was granted (or that an ending grant handed over). When a grant ends it
/// deletes only what it owns and no other active grant on the same token and resource needs; a permission
/// still needed is handed to one of those grants instead, so it goes when the last grant needing it ends.
/// Permissions held before any grant (permanent assignments) are never owned, so never removed.
/// </summary>
/// <param name="Id">Short id people type (<c>g-7kq2</c>).</param>
/// <param name="Target">What was granted (everything the grant needs).</param>
/// <param name="AddedPermissions">What this grant owns and will remove when it ends.</param>
/// <param name="Requester">Who it is for.</param>
/// <param name="Reason">Why.</param>
/// <param name="RequestId">The request it came from, if any.</param>
/// <param name="Requirement">The approval rule that governed it, if any (who may revoke it, who is alerted).</param>
/// <param name="ApprovedBy">Who approved it.</param>
/// <param name="BreakGlass">Granted without approval under break-glass.</param>
/// <param name="GrantedAt">When.</param>
/// <param name="EndsAt">When it is to be revoked.</param>
/// <param name="State">Whether it still holds.</param>
/// <param name="ReminderSentAt">When the expiry reminder went out for the current end.</param>
/// <param name="RevokeAttempts">Failed revoke attempts so far.</param>
/// <param name="NextAttemptAt">When to retry a failed revoke.</param>
/// <param name="LastError">The last revoke failure, worded safely.</param>
/// <param name="FailureAlertSent">Whether approvers were told that revoking keeps failing.</param>
/// <param name="Claim">The revoker holding it, so two processes never revoke the same grant (<see cref="RevokeClaim"/>).</param>
/// <param name="EndedAt">When it really ended: the moment its permissions were gone at PlanetScale, not the planned end.</param>
/// <param name="EndedBy">Who ended it (<c>system</c> on expiry).</param>
/// <param name="RemovedPermissions">What its end deleted at PlanetScale.</param>
/// <param name="Version">Optimistic-concurrency version; every stored change increments it.</param>
public sealed record AccessGrant(
    string Id,
    AccessTarget Target,
    IReadOnlyList<string> AddedPermissions,
    AccessRequester Requester,
    string? Reason,
    string? RequestId,
    ApprovalRequirement? Requirement,
    IReadOnlyList<AccessApproval> ApprovedBy,
    bool BreakGlass,
    DateTimeOffset GrantedAt,
    DateTimeOffset EndsAt,
    AccessGrantState State = AccessGrantState.Active,
    DateTimeOffset? ReminderSentAt = null,
    int RevokeAttempts = 0,
    DateTimeOffset? NextAttemptAt = null,
    string? LastError = null,
    bool FailureAlertSent = false,
    RevokeClaim? Claim = null,
    DateTimeOffset? EndedAt = null,
    string? EndedBy = null,
    IReadOnlyList<string>? RemovedPermissions = null,
    long Version = 0)
{
    /// <summary>True while it holds.</summary>
    public bool IsActive => State == AccessGrantState.Active;

    /// <summary>True when it should be gone but is not yet.</summary>
    public bool IsOverdue(DateTimeOffset now) => IsActive && now >= EndsAt;

    /// <summary>When the revoker should next act on it: its end, or the next retry.</summary>
    public DateTimeOffset DueAt => NextAttemptAt is { } next && next > EndsAt ? next : EndsAt;
}

/// <summary>The identity the bot acts as when nobody clicked (expiry, retries, reconciling).</summary>
public static class AccessActors
{
    /// <summary>The bot itself.</summary>
    public const string System = "system:pscale-bot";

    /// <summary>The on-call roster, as recorded on automatic approvals.</summary>
    public const string OnCallRoster = "system:on-call-roster";
}
