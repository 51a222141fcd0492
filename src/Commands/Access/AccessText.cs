using System.Globalization;
using System.Text.RegularExpressions;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Access;

/// <summary>
/// How access facts are worded in answers, announcements, notices and the audit: every sentence the access-request
/// workflow says lives here, so a change of wording is a change to this file only.
/// </summary>
public static partial class AccessText
{
    /// <summary>
    /// A reason as it may be stored, posted and audited: trimmed, with anything shaped like a token secret
    /// replaced, because people paste whatever is on their screen at 3 a.m.
    /// </summary>
    public static string? SafeReason(string? reason) =>
        string.IsNullOrWhiteSpace(reason) ? null : SecretShape().Replace(reason.Trim(), "pscale_tkn_[REDACTED]");

    [GeneratedRegex(@"pscale_(tkn|oauth|pw)_[A-Za-z0-9_\-]+")]
    private static partial Regex SecretShape();

    /// <summary>A duration as people say it: <c>2h</c>, <c>1h30m</c>, <c>45m</c>, <c>1d2h</c>.</summary>
    public static string Duration(TimeSpan span)
    {
        if (span <= TimeSpan.Zero)
        {
            return "0m";
        }

        var parts = new List<string>();
        if (span.Days > 0)
        {
            parts.Add($"{span.Days}d");
        }

        if (span.Hours > 0)
        {
            parts.Add($"{span.Hours}h");
        }

        if (span.Minutes > 0)
        {
            parts.Add($"{span.Minutes}m");
        }

        if (parts.Count == 0)
        {
            parts.Add($"{Math.Max(1, span.Seconds)}s");
        }

        return string.Concat(parts);
    }

    /// <summary>An absolute time in UTC, to the minute.</summary>
    public static string Time(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>A moment to the second (<c>2026-11-28 20:27:05 UTC</c>), where minutes would hide what happened.</summary>
    public static string Instant(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The place requests of <paramref name="requirement"/> are posted on <paramref name="platform"/>, or null when none is set.</summary>
    public static string? RequestChannel(ApprovalRequirement? requirement, ChatPlatform platform) =>
        requirement is not null && requirement.RequestChannels.TryGetValue(platform, out var channel) && !string.IsNullOrWhiteSpace(channel)
            ? channel
            : null;

    /// <summary>Where approvers look: the role's request channel on the platform, else where the request was made.</summary>
    public static AccessAudience Approvers(ApprovalRequirement? requirement, AccessRequester requester) =>
        AccessAudience.Channel(requester.Platform, RequestChannel(requirement, requester.Platform) ?? requester.PlaceId);

    /// <summary>A private message to the requester.</summary>
    public static AccessAudience Requester(AccessRequester requester) => AccessAudience.Person(requester.Platform, requester.UserId);

    /// <summary>The names of approvals given (<c>Alice, Bob (on call)</c>).</summary>
    public static string ApprovalNames(IEnumerable<AccessApproval> approvals) =>
        string.Join(", ", approvals.Select(a => a.Kind == ApprovalKind.OnCall ? $"{a.ApproverName} (on call)" : a.ApproverName));

    // --- Requests ---------------------------------------------------------------------------------------------

    internal static AccessOutcome ReasonMissing(bool breakGlass, ApprovalRequirement requirement) => AccessOutcome.Error(
        breakGlass ? "Break-glass access needs a reason everyone can read." : $"The {requirement.Role} role needs a reason for the approvers.",
        "Add --reason \"what you need it for\", for example --reason \"INC-123 replica lag\".");

    internal static AccessOutcome DurationNotPositive(string flag, string example) =>
        AccessOutcome.Error($"{flag} must be a positive duration.", $"For example {flag} {example}.");

    internal static AccessOutcome DurationTooLong(string flag, TimeSpan duration, ApprovalRequirement requirement) => AccessOutcome.Error(
        $"{flag} {Duration(duration)} is longer than the {Duration(requirement.MaxDuration)} the {requirement.Role} role allows.",
        $"Ask for {flag} {Duration(requirement.MaxDuration)} or less, and extend later if you need to.");

    internal static string AlreadyAsked(AccessRequest pending) =>
        $"You already asked for this: request {pending.Id} is waiting for approval until {Time(pending.ExpiresAt)}. Type `access cancel {pending.Id}` to withdraw it.";

    internal static string RequestedAudit(AccessRequest request) => $"{request.Id}: {request.Target.Describe()} for {Duration(request.Duration)}";

    internal static string RequestedPost(AccessRequest request, string? onCallSkipped = null) =>
        $"{request.Requester.DisplayName} asks for {request.Target.Describe()} for {Duration(request.Duration)}{Quoted(request.Reason)} ({request.Id}, {request.RequiredApprovals} approval(s) needed, expires {Time(request.ExpiresAt)})."
        + (onCallSkipped is null ? "" : $" {onCallSkipped}");

    /// <summary>Why on-call auto-approval was skipped when the roster failed in a way it did not explain itself.</summary>
    internal const string OnCallRosterUnreadable = "The on-call roster could not be read, so on-call auto-approval was skipped.";

    internal static MessageResult RequestFiled(AccessRequest request)
    {
        var where = RequestChannel(request.Requirement, request.Requester.Platform) is { } channel ? $" in {channel}" : "";
        return new MessageResult(
            $"Request {request.Id} filed: {request.Target.Describe()} for {Duration(request.Duration)}. It needs {request.RequiredApprovals} approval(s){where} before {Time(request.ExpiresAt)}; the clock starts when it is approved. Type `access cancel {request.Id}` to withdraw it.",
            MessageTone.Info);
    }

    internal static string RequestedAnnouncement(AccessRequest request) =>
        $"{request.Requester.DisplayName} requested {request.Target.Describe()} for {Duration(request.Duration)} ({request.Id}).";

    internal static string AutoApprovedAudit(AccessRequest request, OnCallShift shift) =>
        $"{request.Id}: {request.Target.Describe()} for {Duration(request.Duration)}; on call as {shift.Who} until {Time(shift.Until)}";

    internal static AccessOutcome TimeBoundNeedsDuration() => AccessOutcome.Error("A time-bound grant needs a positive --for duration.", "For example --for 2h.");

    internal static AccessOutcome BreakGlassNeedsDuration() => AccessOutcome.Error(
        "--break-glass needs --for: how long the emergency access should last.", "For example --for 1h --break-glass --reason \"INC-123\".");

    internal static AccessOutcome BreakGlassNeedsReason() =>
        AccessOutcome.Error("Break-glass access needs a reason everyone can read.", "Add --reason \"what you need it for\".");

    internal static AccessOutcome BreakGlassNotAllowed(ApprovalRequirement requirement) => AccessOutcome.Error(
        $"Break-glass is not allowed for the {requirement.Role} role; nothing was granted.", "Drop --break-glass to ask for approval instead.", ErrorCategory.Denied);

    internal static string BreakGlassAlert(AccessRequester requester, AccessTarget target, TimeSpan duration, string reason, string grantId) =>
        $"BREAK-GLASS: {requester.DisplayName} granted themselves {target.Describe()} for {Duration(duration)} without approval: \"{reason.Trim()}\" ({grantId}). Review it; type `access revoke {grantId}` to end it.";

    internal static AccessOutcome NotAGrantRequest() =>
        AccessOutcome.Error("Only add-access that needs approval can be sent for approval.", null, ErrorCategory.Internal);

    // --- Grants made ------------------------------------------------------------------------------------------

    internal static string GrantFailedAudit(AccessGrant grant) => $"{grant.Id}: grant {grant.Target.Describe()}";

    internal static string GrantRefusedNotice(AccessTarget target, string? error) => $"PlanetScale refused your grant of {target.Describe()}: {error}";

    internal static ErrorResult GrantRefused(AccessTarget target, string? error) =>
        new($"PlanetScale refused the grant of {target.Describe()}: {error}", "Nothing is held; try again, or ask an admin.", null, ErrorCategory.Api);

    internal static string GrantedAudit(AccessGrant grant) =>
        $"{BreakGlassMark(grant)}{grant.Id}: {grant.Target.Describe()} until {Time(grant.EndsAt)}; added {Listed(grant.AddedPermissions)}";

    internal static string Granted(AccessGrant grant, AccessTarget target)
    {
        var already = target.Permissions.Except(grant.AddedPermissions, StringComparer.Ordinal).ToList();
        var note = already.Count == 0 ? "" : $" (already held, left as they are: {string.Join(", ", already)})";
        return $"{BreakGlassMark(grant)}Granted {grant.Id}: {target.Describe()} until {Time(grant.EndsAt)} ({Duration(grant.EndsAt - grant.GrantedAt)}){note}. The bot revokes it then; type `access extend {grant.Id} --for 1h` for more time.";
    }

    internal static string GrantedNotice(AccessGrant grant, string granted) =>
        (grant.RequestId is null ? "" : $"Your request {grant.RequestId} was approved. ") + granted;

    internal static string GrantedAnnouncement(AccessGrant grant, AccessRequester requester, AccessTarget target) =>
        $"{BreakGlassMark(grant)}{requester.DisplayName} holds {target.Describe()} until {Time(grant.EndsAt)} ({grant.Id}).";

    // --- Settling requests ------------------------------------------------------------------------------------

    internal static AccessOutcome AlreadySettled(AccessRequest request, ChatIdentity actor)
    {
        var by = request.DecidedBy == AccessActors.System ? "" : $" by {(request.Approvals.LastOrDefault(a => a.ApproverId == request.DecidedBy)?.ApproverName ?? request.DecidedBy)}";
        var text = request.State switch
        {
            AccessRequestState.Approved when request.HasApproved(actor.UserId) => $"You already approved {request.Id}; it is settled{(request.GrantId is null ? "" : $" ({request.GrantId})")}.",
            AccessRequestState.Approved => $"Request {request.Id} was already approved{by} at {Time(request.DecidedAt!.Value)}.",
            AccessRequestState.Denied => $"Request {request.Id} was already denied{by}.",
            AccessRequestState.Cancelled => $"Request {request.Id} was cancelled by its requester.",
            AccessRequestState.Expired => $"Request {request.Id} expired unanswered at {Time(request.ExpiresAt)} and can no longer be approved.",
            _ => $"Request {request.Id} failed: {request.DecisionNote}.",
        };
        return request.State == AccessRequestState.Expired ? AccessOutcome.Error(text, "Ask again with add-access … --for … --reason ….") : AccessOutcome.Info(text, request);
    }

    internal static AccessOutcome ExpiredCannotApprove(AccessRequest request) => AccessOutcome.Error(
        $"Request {request.Id} expired unanswered at {Time(request.ExpiresAt)} and can no longer be approved.",
        "The requester can ask again with add-access … --for … --reason ….");

    internal static AccessOutcome OwnRequest(AccessRequest request) => AccessOutcome.Error(
        $"You can't approve your own request {request.Id}.",
        $"Ask another approver; it needs {request.RequiredApprovals} approval(s) from someone else.", ErrorCategory.Denied);

    internal static AccessOutcome NotAnApprover(AccessRequest request) => AccessOutcome.Error(
        $"You may not approve {request.Id} here: approving the {request.Requirement.Role} role's requests needs one of {string.Join(", ", request.Requirement.Approvers)}.",
        "Approve it where you hold an approver role, or ask an approver.", ErrorCategory.Denied);

    internal static string AlreadyApproved(AccessRequest request) =>
        $"You already approved {request.Id}; it still needs {request.RequiredApprovals - request.Approvals.Count} more approval(s) from someone else.";

    internal static string ApprovalCountAudit(AccessRequest approved) => $"{approved.Id}: {approved.Approvals.Count} of {approved.RequiredApprovals} approvals";

    internal static string ApprovalProgressPost(ChatIdentity approver, AccessRequest approved) =>
        $"{approver.DisplayName} approved {approved.Id}; {approved.RequiredApprovals - approved.Approvals.Count} more approval(s) needed from someone else.";

    internal static string ApprovalRecorded(AccessRequest approved) =>
        $"Approval recorded for {approved.Id}; it needs {approved.RequiredApprovals - approved.Approvals.Count} more from a different approver.";

    internal static string ApprovalAnnouncement(ChatIdentity approver, AccessRequest approved) =>
        $"{approver.DisplayName} approved {approved.Id} ({approved.Approvals.Count} of {approved.RequiredApprovals}).";

    internal static string ApprovedAudit(AccessRequest settled) => $"{settled.Id}: approved by {ApprovalNames(settled.Approvals)}";

    internal static string ApprovedPost(AccessRequest settled, DateTimeOffset now, GrantAttempt attempt) => attempt.Succeeded
        ? $"Approved by {ApprovalNames(settled.Approvals)} at {Time(now)}; granted as {attempt.Grant!.Id} until {Time(attempt.Grant.EndsAt)}."
        : $"Approved by {ApprovalNames(settled.Approvals)}, but PlanetScale refused the grant: {attempt.Error}";

    internal static AccessOutcome MayNotDeny(AccessRequest request, bool ownRequest) => AccessOutcome.Error(
        $"You may not deny {request.Id} here: only approvers of the {request.Requirement.Role} role can.",
        ownRequest ? $"To withdraw your own request, type `access cancel {request.Id}`." : null,
        ErrorCategory.Denied);

    internal static string RequestAudit(AccessRequest request) => $"{request.Id}: {request.Target.Describe()}";

    internal static string DeniedPost(ChatIdentity actor, DateTimeOffset now, AccessRequest denied) =>
        $"Denied by {actor.DisplayName} at {Time(now)}{Because(denied)}.";

    internal static string DeniedNotice(AccessRequest denied, ChatIdentity actor) =>
        $"Your request {denied.Id} ({denied.Target.Describe()}) was denied by {actor.DisplayName}{Because(denied)}.";

    internal static string Denied(string id) => $"Request {id} denied.";

    internal static string DeniedAnnouncement(ChatIdentity actor, string id) => $"{actor.DisplayName} denied {id}.";

    internal static AccessOutcome OnlyRequesterCancels(string id) =>
        AccessOutcome.Error($"Only the requester can cancel {id}.", $"Approvers can type `access deny {id}` instead.", ErrorCategory.Denied);

    internal static string CancelledPost(ChatIdentity actor, AccessRequest cancelled) => $"Cancelled by {actor.DisplayName} at {Time(cancelled.DecidedAt!.Value)}.";

    internal static string Cancelled(string id) => $"Request {id} cancelled.";

    internal static string ExpiredAudit(AccessRequest request) => $"{request.Id}: {request.Target.Describe()} unanswered since {Time(request.CreatedAt)}";

    internal static string ExpiredPost(AccessRequest request) => $"Expired unanswered at {Time(request.ExpiresAt)}.";

    internal static string ExpiredNotice(AccessRequest request) =>
        $"Your request {request.Id} ({request.Target.Describe()}) expired without an answer; ask again if you still need it.";

    // --- Changing grants --------------------------------------------------------------------------------------

    internal static AccessOutcome MayNotRevoke(string id) => AccessOutcome.Error(
        $"You may not revoke {id} here.", "Its holder, its approvers, or someone allowed to delete-access on that token here can.", ErrorCategory.Denied);

    internal static string AlreadyEnded(string id, DateTimeOffset? at) => at is { } ended ? $"Grant {id} already ended at {Time(ended)}." : $"Grant {id} already ended.";

    internal static string RevokedAudit(AccessGrant ended) => $"{ended.Id}: {ended.Target.Describe()}; removed {Listed(ended.RemovedPermissions)}";

    internal static string RevokedPost(AccessGrant ended, ChatIdentity actor) => $"Grant {ended.Id} ({ended.Target.Describe()}) was revoked by {actor.DisplayName}.";

    internal static string RevokedNotice(AccessGrant ended, ChatIdentity actor) => $"Your grant {ended.Id} ({ended.Target.Describe()}) was revoked by {actor.DisplayName}.";

    internal static string Revoked(AccessGrant ended) => $"Grant {ended.Id} revoked; removed {Listed(ended.RemovedPermissions)}.";

    internal static string RevokedAnnouncement(AccessGrant ended, ChatIdentity actor) => $"{actor.DisplayName} revoked {ended.Id} ({ended.Target.Describe()}).";

    internal static string RevokeFailedAudit(AccessGrant grant) => $"{grant.Id}: revoke {grant.Target.Describe()}";

    internal static AccessOutcome RevokeRefused(string id, string error) => AccessOutcome.Error(
        $"PlanetScale refused to revoke {id}: {error}", "The bot keeps retrying in the background and alerts approvers if it keeps failing.", ErrorCategory.Api);

    internal static AccessOutcome GrantEndedCannotExtend(string id, AccessTarget? askAgain) => AccessOutcome.Error(
        $"Grant {id} has ended and can't be extended.",
        askAgain is null
            ? "Ask for new access instead."
            : $"Ask again: add-access {askAgain.TokenId} {string.Join(' ', askAgain.Permissions)}{(askAgain.Database is null ? "" : " --database " + askAgain.Database)} --for … --reason ….");

    internal static AccessOutcome OnlyHolderExtends(string id) =>
        AccessOutcome.Error($"Only the holder of {id} (or one of its approvers) can extend it.", null, ErrorCategory.Denied);

    internal static AccessOutcome MayNotExtend(string id, PolicyDecision.Denied denied) =>
        AccessOutcome.Error($"You may not extend {id} here: {denied.Reason}", denied.Alternative, ErrorCategory.Denied);

    internal static AccessOutcome NoDecision() => AccessOutcome.Error("The policy gave no decision.", null, ErrorCategory.Internal);

    internal static AccessOutcome ExtensionReasonMissing(ApprovalRequirement requirement) =>
        AccessOutcome.Error($"The {requirement.Role} role needs a reason for an extension.", "Add --reason \"why you need longer\".");

    internal static string ExtensionRequestedAudit(AccessRequest request, AccessGrant grant) =>
        $"{request.Id}: extend {grant.Id} ({grant.Target.Describe()}) by {Duration(request.Duration)}";

    internal static string ExtensionRequestedPost(AccessRequest request, AccessGrant grant) =>
        $"{request.Requester.DisplayName} asks to extend {grant.Id} ({grant.Target.Describe()}, ends {Time(grant.EndsAt)}) by {Duration(request.Duration)}{Quoted(request.Reason)} ({request.Id}).";

    internal static string ExtensionFiled(AccessRequest request, AccessGrant grant) =>
        $"Extension request {request.Id} filed: {grant.Id} +{Duration(request.Duration)}. It needs {request.RequiredApprovals} approval(s) before {Time(request.ExpiresAt)}.";

    internal static string ExtensionRequestedAnnouncement(AccessRequest request, AccessGrant grant) =>
        $"{request.Requester.DisplayName} asked to extend {grant.Id} by {Duration(request.Duration)} ({request.Id}).";

    internal static string ExtensionAudit(AccessRequest request) => $"{request.Id}: extend {request.GrantId}";

    internal static ErrorResult NothingToExtend(AccessRequest request) => new(
        $"Approved, but grant {request.GrantId} had already ended, so there is nothing to extend.", "The requester can ask for new access.", null, ErrorCategory.Usage);

    internal static string ExtensionApprovedAudit(AccessRequest settled) =>
        $"{settled.Id}: extension of {settled.GrantId} approved by {ApprovalNames(settled.Approvals)}";

    internal static string ExtensionApprovedPost(AccessRequest settled, DateTimeOffset now) =>
        $"Extension approved by {ApprovalNames(settled.Approvals)} at {Time(now)}.";

    internal static string ExtensionApprovedNotice(AccessRequest request, AccessOutcome applied) => applied.Succeeded
        ? $"Your extension {request.Id} was approved: {request.GrantId} now ends {Time(applied.Grant!.EndsAt)}."
        : $"Your extension {request.Id} was approved but could not be applied.";

    internal static AccessOutcome ExtensionOverCeiling(AccessGrant grant, TimeSpan duration, TimeSpan ceiling, TimeSpan left) => AccessOutcome.Error(
        $"Grant {grant.Id} can't be extended by {Duration(duration)}: a grant lasts at most {Duration(ceiling)} in all, counted from when it was granted "
        + $"({Time(grant.GrantedAt)}), and {(left > TimeSpan.Zero ? Duration(left) : "nothing")} of that is left.",
        left >= TimeSpan.FromMinutes(1)
            ? $"Extend by --for {Duration(left)} or less, or ask for new access when it ends."
            : "Ask for new access when it ends.",
        ErrorCategory.Denied);

    internal static string ExtensionRefusedAudit(AccessGrant grant, TimeSpan duration, TimeSpan ceiling) =>
        $"{grant.Id}: extend {grant.Target.Describe()} by {Duration(duration)} refused; ends {Time(grant.EndsAt)}, at most {Duration(ceiling)} from {Time(grant.GrantedAt)}";

    internal static string ExtendedAudit(AccessGrant before, AccessGrant extended, TimeSpan duration) =>
        $"{before.Id}: {before.Target.Describe()} until {Time(extended.EndsAt)} (+{Duration(duration)})";

    internal static string Extended(string grantId, TimeSpan duration, AccessGrant extended) =>
        $"Grant {grantId} extended by {Duration(duration)}; it now ends {Time(extended.EndsAt)}.";

    internal static string ExtendedAnnouncement(string actorName, AccessGrant extended) => $"{actorName} extended {extended.Id} until {Time(extended.EndsAt)}.";

    // --- Ending on time -------------------------------------------------------------------------------------

    // The moment the permission really went (seconds matter: a crash or a slow DELETE moves it), then the plan.
    internal static string EndedAudit(AccessGrant ended) =>
        $"{ended.Id}: {ended.Target.Describe()} permission removed {Instant(ended.EndedAt ?? ended.EndsAt)} (due {Time(ended.EndsAt)}); removed {Listed(ended.RemovedPermissions)}";

    internal static string EndedNotice(AccessGrant ended) => $"Your grant {ended.Id} ({ended.Target.Describe()}) has ended.";

    internal static string EndedPost(AccessGrant ended) =>
        $"{ended.Requester.DisplayName}'s grant {ended.Id} ({ended.Target.Describe()}) ended at {Time(ended.EndedAt ?? ended.EndsAt)}.";

    internal static string RevokeRetryAudit(AccessGrant failed) =>
        $"{failed.Id}: revoke {failed.Target.Describe()} (attempt {failed.RevokeAttempts}; next {Time(failed.NextAttemptAt!.Value)})";

    internal static string RevokeFailingAlert(AccessGrant failed, string error) =>
        $"Revoking {failed.Id} ({failed.Target.Describe()}, ended {Time(failed.EndsAt)}) has failed {failed.RevokeAttempts} times: {error}. The permission is still held; the bot keeps retrying. Check the token, or remove it by hand with delete-access.";

    internal static string ReminderAudit(AccessGrant grant) => $"{grant.Id}: ends {Time(grant.EndsAt)}";

    internal static string Reminder(AccessGrant grant, DateTimeOffset now) =>
        $"Your grant {grant.Id} ({grant.Target.Describe()}) ends in {Duration(grant.EndsAt - now)}, at {Time(grant.EndsAt)}. Type `access extend {grant.Id} --for 1h` if you need longer.";

    // --- Shared -----------------------------------------------------------------------------------------------

    internal static AccessOutcome UnknownRequest(string typed) =>
        AccessOutcome.Error($"There is no access request '{typed}'.", "Type `access list` to see pending requests and their ids (like r-7kq2).");

    internal static AccessOutcome UnknownGrant(string typed) =>
        AccessOutcome.Error($"There is no grant '{typed}'.", "Type `access list` to see active grants and their ids (like g-7kq2).");

    internal static AccessOutcome Busy(string id) =>
        AccessOutcome.Error($"{id} is being changed by someone else right now.", "Try again in a moment.", ErrorCategory.Internal);

    private static string BreakGlassMark(AccessGrant grant) => grant.BreakGlass ? "BREAK-GLASS: " : "";

    private static string Because(AccessRequest settled) => settled.DecisionNote is null ? "" : $": \"{settled.DecisionNote}\"";

    private static string Quoted(string? reason) => reason is null ? " (no reason given)" : $": \"{reason}\"";

    private static string Listed(IReadOnlyList<string>? permissions) =>
        permissions is { Count: > 0 } ? string.Join(", ", permissions) : "nothing (no permission was the grant's own)";
}
