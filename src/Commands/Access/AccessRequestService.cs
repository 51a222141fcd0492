using Microsoft.Extensions.Logging;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Access;

/// <summary>
/// The access-request workflow: request, approve (distinct approvers, never oneself, settled exactly once),
/// deny, cancel, time-bound and break-glass grants, revoke, extend and list. Every change is a version-checked
/// store transition, audited, and announced through <see cref="AccessNotificationDispatcher"/>.
/// </summary>
public sealed partial class AccessRequestService(
    IAccessStore store,
    AccessIdGenerator ids,
    AccessGrantor grantor,
    IAuthorizationPolicy policy,
    IOnCallRoster roster,
    AccessAuditor audit,
    AccessNotificationDispatcher notify,
    TimeProvider time,
    ILogger<AccessRequestService> logger)
{
    private const int ConcurrencyRetries = 8;
    private static readonly TimeSpan FallbackRequestTimeout = TimeSpan.FromMinutes(30);

    /// <summary>Files a request for an approval-gated grant (or grants at once under break-glass or on-call auto-approval).</summary>
    public async Task<AccessOutcome> RequestAsync(ChatRequest chat, string organization, AddAccessCommand command, PolicyDecision.NeedsApproval decision, CancellationToken cancellationToken)
    {
        var requirement = decision.Requirement;
        command = command with { Reason = AccessText.SafeReason(command.Reason) };
        var duration = command.Duration ?? requirement.DefaultDuration;
        if (ValidateDuration(duration, requirement, "--for") is { } durationError)
        {
            return durationError;
        }

        if (string.IsNullOrWhiteSpace(command.Reason) && (command.BreakGlass || requirement.ReasonRequired))
        {
            return AccessOutcome.Error(
                command.BreakGlass ? "Break-glass access needs a reason everyone can read." : $"The {requirement.Role} role needs a reason for the approvers.",
                "Add --reason \"what you need it for\", for example --reason \"INC-123 replica lag\".");
        }

        var target = new AccessTarget(organization, command.TokenId, command.Database, command.Permissions);
        var requester = AccessRequester.From(chat);
        if (command.BreakGlass)
        {
            return await BreakGlassAsync(chat, target, duration, command.Reason!, requirement, cancellationToken);
        }

        var now = time.GetUtcNow();
        var duplicate = (await store.ListPendingRequestsAsync(cancellationToken)).FirstOrDefault(r =>
            r.Kind == AccessRequestKind.Grant && r.Requester.UserId == requester.UserId && !r.IsPastDue(now)
            && r.Target.SameResource(target) && r.Target.Permissions.Order().SequenceEqual(target.Permissions.Order()));
        if (duplicate is not null)
        {
            return AccessOutcome.Info(
                $"You already asked for this: request {duplicate.Id} is waiting for approval until {AccessText.Time(duplicate.ExpiresAt)}. Type `access cancel {duplicate.Id}` to withdraw it.",
                duplicate);
        }

        var timeout = requirement.RequestTimeout > TimeSpan.Zero ? requirement.RequestTimeout : FallbackRequestTimeout;
        var request = new AccessRequest(
            await ids.NewRequestIdAsync(cancellationToken),
            AccessRequestKind.Grant,
            target,
            duration,
            command.Reason,
            requester,
            requirement,
            now,
            now + timeout,
            AccessRequestState.Pending,
            []);

        if (requirement.OnCallAutoApprove && await OnCallShiftAsync(chat.Caller, now, cancellationToken) is { } shift)
        {
            return await AutoApproveAsync(request, shift, cancellationToken);
        }

        await FileRequestAsync(
            request,
            $"{request.Id}: {target.Describe()} for {AccessText.Duration(duration)}",
            $"{requester.DisplayName} asks for {target.Describe()} for {AccessText.Duration(duration)}{Quoted(request.Reason)} ({request.Id}, {request.RequiredApprovals} approval(s) needed, expires {AccessText.Time(request.ExpiresAt)}).",
            cancellationToken);

        var where = AccessText.RequestChannel(requirement, requester.Platform) is { } channel ? $" in {channel}" : "";
        return new AccessOutcome(
            new MessageResult(
                $"Request {request.Id} filed: {target.Describe()} for {AccessText.Duration(duration)}. It needs {request.RequiredApprovals} approval(s){where} before {AccessText.Time(request.ExpiresAt)}; the clock starts when it is approved. Type `access cancel {request.Id}` to withdraw it.",
                MessageTone.Info),
            $"{requester.DisplayName} requested {target.Describe()} for {AccessText.Duration(duration)} ({request.Id}).",
            request);
    }

    /// <summary>Grants a time-bound add-access the policy allows without approval, and schedules its revocation.</summary>
    public async Task<AccessOutcome> GrantTimeBoundAsync(ChatRequest chat, string organization, AddAccessCommand command, CancellationToken cancellationToken)
    {
        if (command.Duration is not { } duration || duration <= TimeSpan.Zero)
        {
            return AccessOutcome.Error("A time-bound grant needs a positive --for duration.", "For example --for 2h.");
        }

        var target = new AccessTarget(organization, command.TokenId, command.Database, command.Permissions);
        var requester = AccessRequester.From(chat);
        var now = time.GetUtcNow();
        var grantId = await ids.NewGrantIdAsync(cancellationToken);
        var reason = AccessText.SafeReason(command.Reason);
        var attempt = await grantor.GrantAsync(
            target,
            added => new AccessGrant(grantId, target, added, requester, reason, null, null, [], command.BreakGlass, now, now + duration),
            async grant =>
            {
                await store.InsertGrantAsync(grant, cancellationToken);
                return true;
            },
            cancellationToken);
        return await ReportGrantAsync(attempt, target, requester, AccessTransitions.Granted, requester.UserId, cancellationToken);
    }

    /// <summary>
    /// A break-glass grant the policy allowed because its approval rule lets break-glass skip the approvers: granted
    /// now, audited as break-glass and announced to that rule's approvers. Under a role with no approval rule for it,
    /// it is an ordinary time-bound grant.
    /// </summary>
    public async Task<AccessOutcome> GrantBreakGlassAsync(ChatRequest chat, string organization, AddAccessCommand command, CancellationToken cancellationToken)
    {
        // The policy answers Allowed to break-glass; asked again without it, it names the rule whose approvers must hear of it.
        return policy.Authorize(chat.Caller, chat.Place, command with { BreakGlass = false }, organization) is PolicyDecision.NeedsApproval needs
            ? await RequestAsync(chat, organization, command, needs, cancellationToken)
            : await GrantTimeBoundAsync(chat, organization, command, cancellationToken);
    }

    /// <summary>Records one approval; the last one needed grants (or extends). Safe to call twice or concurrently.</summary>
    public Task<AccessOutcome> ApproveAsync(string typedId, ChatIdentity approver, ChatPlace place, CancellationToken cancellationToken) =>
        OnRequestAsync(typedId, async (request, id) =>
        {
            if (request.IsSettled)
            {
                return AlreadySettled(request, approver);
            }

            var now = time.GetUtcNow();
            if (request.IsPastDue(now))
            {
                await ExpireRequestAsync(request, cancellationToken);
                return AccessOutcome.Error(
                    $"Request {id} expired unanswered at {AccessText.Time(request.ExpiresAt)} and can no longer be approved.",
                    "The requester can ask again with add-access … --for … --reason ….");
            }

            if (string.Equals(approver.UserId, request.Requester.UserId, StringComparison.Ordinal))
            {
                return AccessOutcome.Error(
                    $"You can't approve your own request {id}.",
                    $"Ask another approver; it needs {request.RequiredApprovals} approval(s) from someone else.", ErrorCategory.Denied);
            }

            if (!policy.IsApprover(approver, place, request.Requirement))
            {
                return AccessOutcome.Error(
                    $"You may not approve {id} here: approving the {request.Requirement.Role} role's requests needs one of {string.Join(", ", request.Requirement.Approvers)}.",
                    "Approve it where you hold an approver role, or ask an approver.", ErrorCategory.Denied);
            }

            if (request.HasApproved(approver.UserId))
            {
                return AccessOutcome.Info(
                    $"You already approved {id}; it still needs {request.RequiredApprovals - request.Approvals.Count} more approval(s) from someone else.", request);
            }

            var approved = request with { Approvals = [.. request.Approvals, new AccessApproval(approver.UserId, approver.DisplayName, now)] };
            if (approved.Approvals.Count < request.RequiredApprovals)
            {
                if (!await store.TryUpdateRequestAsync(approved, request.Version, cancellationToken))
                {
                    return null;
                }

                approved = approved with { Version = request.Version + 1 };
                await audit.RecordAsync(AccessTransitions.Approved, approver.UserId, approver.Platform, place.PrimaryId,
                    $"{id}: {approved.Approvals.Count} of {request.RequiredApprovals} approvals", null, "ok", cancellationToken);
                var remaining = request.RequiredApprovals - approved.Approvals.Count;
                await notify.SendAsync(
                    new AccessRequestProgress(AccessText.Approvers(request.Requirement, request.Requester),
                        $"{approver.DisplayName} approved {id}; {remaining} more approval(s) needed from someone else.", approved),
                    cancellationToken);
                return new AccessOutcome(
                    new MessageResult($"Approval recorded for {id}; it needs {remaining} more from a different approver.", MessageTone.Success),
                    $"{approver.DisplayName} approved {id} ({approved.Approvals.Count} of {request.RequiredApprovals}).",
                    approved);
            }

            if (await SettleAsync(request, approved, approver.UserId, approver.Platform, place.PrimaryId, cancellationToken) is { } outcome)
            {
                return outcome;
            }

            return null;
        }, cancellationToken);

    /// <summary>Denies a pending request (approvers only).</summary>
    public Task<AccessOutcome> DenyAsync(string typedId, ChatIdentity actor, ChatPlace place, string? reason, CancellationToken cancellationToken) =>
        OnRequestAsync(typedId, async (request, id) =>
        {
            if (request.IsSettled)
            {
                return AlreadySettled(request, actor);
            }

            if (!policy.IsApprover(actor, place, request.Requirement) || actor.UserId == request.Requester.UserId)
            {
                return AccessOutcome.Error(
                    $"You may not deny {id} here: only approvers of the {request.Requirement.Role} role can.",
                    actor.UserId == request.Requester.UserId ? $"To withdraw your own request, type `access cancel {id}`." : null,
                    ErrorCategory.Denied);
            }

            var now = time.GetUtcNow();
            var denied = request.MoveTo(AccessRequestState.Denied, actor.UserId, now, AccessText.SafeReason(reason));
            if (!await store.TryUpdateRequestAsync(denied, request.Version, cancellationToken))
            {
                return null;
            }

            denied = denied with { Version = request.Version + 1 };
            await audit.RecordAsync(AccessTransitions.Denied, actor.UserId, actor.Platform, place.PrimaryId,
                $"{id}: {request.Target.Describe()}", denied.DecisionNote, "ok", cancellationToken);
            var because = denied.DecisionNote is null ? "" : $": \"{denied.DecisionNote}\"";
            await notify.SendAsync(new AccessRequestSettled(AccessText.Approvers(request.Requirement, request.Requester),
                $"Denied by {actor.DisplayName} at {AccessText.Time(now)}{because}.", denied), cancellationToken);
            await notify.SendAsync(new AccessRequesterNotice(AccessText.Requester(request.Requester),
                $"Your request {id} ({request.Target.Describe()}) was denied by {actor.DisplayName}{because}.", id, null), cancellationToken);
            return new AccessOutcome(new MessageResult($"Request {id} denied.", MessageTone.Success), $"{actor.DisplayName} denied {id}.", denied);
        }, cancellationToken);

    /// <summary>Withdraws a pending request (its requester only).</summary>
    public Task<AccessOutcome> CancelAsync(string typedId, ChatIdentity actor, ChatPlace place, CancellationToken cancellationToken) =>
        OnRequestAsync(typedId, async (request, id) =>
        {
            if (actor.UserId != request.Requester.UserId)
            {
                return AccessOutcome.Error($"Only the requester can cancel {id}.", $"Approvers can type `access deny {id}` instead.", ErrorCategory.Denied);
            }

            if (request.IsSettled)
            {
                return AlreadySettled(request, actor);
            }

            var cancelled = request.MoveTo(AccessRequestState.Cancelled, actor.UserId, time.GetUtcNow());
            if (!await store.TryUpdateRequestAsync(cancelled, request.Version, cancellationToken))
            {
                return null;
            }

            cancelled = cancelled with { Version = request.Version + 1 };
            await audit.RecordAsync(AccessTransitions.Cancelled, actor.UserId, actor.Platform, place.PrimaryId,
                $"{id}: {request.Target.Describe()}", null, "ok", cancellationToken);
            await notify.SendAsync(new AccessRequestSettled(AccessText.Approvers(request.Requirement, request.Requester),
                $"Cancelled by {actor.DisplayName} at {AccessText.Time(cancelled.DecidedAt!.Value)}.", cancelled), cancellationToken);
            return new AccessOutcome(new MessageResult($"Request {id} cancelled.", MessageTone.Success), null, cancelled);
        }, cancellationToken);

    /// <summary>Ends a grant now (its holder, an approver of its rule, or someone allowed to delete-access on it here).</summary>
    public async Task<AccessOutcome> RevokeAsync(string typedId, ChatIdentity actor, ChatPlace place, CancellationToken cancellationToken)
    {
        if (AccessIdGenerator.Normalize(typedId, AccessIdGenerator.GrantPrefix) is not { } id || await store.GetGrantAsync(id, cancellationToken) is not { } grant)
        {
            return UnknownGrant(typedId);
        }

        if (!MayManage(grant, actor, place))
        {
            return AccessOutcome.Error($"You may not revoke {id} here.",
                "Its holder, its approvers, or someone allowed to delete-access on that token here can.", ErrorCategory.Denied);
        }

        if (!grant.IsActive)
        {
            return AccessOutcome.Info($"Grant {id} already ended at {AccessText.Time(grant.EndedAt ?? grant.EndsAt)}.", grant: grant);
        }

        try
        {
            var ended = await grantor.EndAsync(id, AccessGrantState.Revoked, actor.UserId, onlyIfDue: false, cancellationToken);
            if (ended is null)
            {
                return AccessOutcome.Info($"Grant {id} already ended.", grant: await store.GetGrantAsync(id, cancellationToken));
            }

            await audit.RecordAsync(AccessTransitions.Revoked, actor.UserId, actor.Platform, place.PrimaryId,
                $"{id}: {ended.Target.Describe()}; removed {Listed(ended.RemovedPermissions)}", null, "ok", cancellationToken);
            await notify.SendAsync(new AccessGrantEnded(AccessText.Approvers(ended.Requirement, ended.Requester),
                $"Grant {id} ({ended.Target.Describe()}) was revoked by {actor.DisplayName}.", ended), cancellationToken);
            if (actor.UserId != ended.Requester.UserId)
            {
                await notify.SendAsync(new AccessRequesterNotice(AccessText.Requester(ended.Requester),
                    $"Your grant {id} ({ended.Target.Describe()}) was revoked by {actor.DisplayName}.", ended.RequestId, id), cancellationToken);
            }

            return new AccessOutcome(new MessageResult($"Grant {id} revoked; removed {Listed(ended.RemovedPermissions)}.", MessageTone.Success),
                $"{actor.DisplayName} revoked {id} ({ended.Target.Describe()}).", null, ended);
        }
        catch (PlanetScale.PlanetScaleApiException ex)
        {
            await MakeDueAsync(id, cancellationToken);
            await audit.RecordAsync(AccessTransitions.Failed, actor.UserId, actor.Platform, place.PrimaryId,
                $"{id}: revoke {grant.Target.Describe()}", null, "error: " + ex.Message, cancellationToken);
            return AccessOutcome.Error($"PlanetScale refused to revoke {id}: {ex.Message}",
                "The bot keeps retrying in the background and alerts approvers if it keeps failing.", ErrorCategory.Api);
        }
    }

    /// <summary>More time on a grant, under the same policy as a new request: allowed at once, or filed as an extension request.</summary>
    public async Task<AccessOutcome> ExtendAsync(ChatRequest chat, string typedId, TimeSpan duration, string? reason, CancellationToken cancellationToken)
    {
        var actor = chat.Caller;
        if (AccessIdGenerator.Normalize(typedId, AccessIdGenerator.GrantPrefix) is not { } id || await store.GetGrantAsync(id, cancellationToken) is not { } grant)
        {
            return UnknownGrant(typedId);
        }

        var now = time.GetUtcNow();
        if (!grant.IsActive || grant.IsOverdue(now))
        {
            return AccessOutcome.Error($"Grant {id} has ended and can't be extended.",
                $"Ask again: add-access {grant.Target.TokenId} {string.Join(' ', grant.Target.Permissions)}{(grant.Target.Database is null ? "" : " --database " + grant.Target.Database)} --for … --reason ….");
        }

        if (actor.UserId != grant.Requester.UserId && !(grant.Requirement is { } r && policy.IsApprover(actor, chat.Place, r)))
        {
            return AccessOutcome.Error($"Only the holder of {id} (or one of its approvers) can extend it.", null, ErrorCategory.Denied);
        }

        if (duration <= TimeSpan.Zero)
        {
            return AccessOutcome.Error("--for must be a positive duration.", "For example --for 1h.");
        }

        var command = new AddAccessCommand(CommonOptions.Default, grant.Target.TokenId, grant.Target.Permissions, grant.Target.Database, duration, reason ?? grant.Reason);
        switch (policy.Authorize(actor, chat.Place, command, grant.Target.Organization))
        {
            case PolicyDecision.Denied denied:
                return AccessOutcome.Error($"You may not extend {id} here: {denied.Reason}", denied.Alternative, ErrorCategory.Denied);
            case PolicyDecision.Allowed:
                return await ExtendNowAsync(id, duration, actor.UserId, actor.DisplayName, actor.Platform, chat.Place.PrimaryId, cancellationToken);
            case PolicyDecision.NeedsApproval needs:
                return await RequestExtensionAsync(chat, grant, duration, AccessText.SafeReason(reason) ?? grant.Reason, needs.Requirement, cancellationToken);
            default:
                return AccessOutcome.Error("The policy gave no decision.", null, ErrorCategory.Internal);
        }
    }

    /// <summary>Pending requests and active grants <paramref name="caller"/> may see here.</summary>
    public async Task<AccessListResult> ListAsync(ChatIdentity caller, ChatPlace place, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var rows = new List<AccessListRow>();
        foreach (var request in await store.ListPendingRequestsAsync(cancellationToken))
        {
            if (request.Requester.UserId == caller.UserId || policy.IsApprover(caller, place, request.Requirement) || MaySee(request.Target, caller, place))
            {
                rows.Add(AccessListRow.From(request, now));
            }
        }

        foreach (var grant in await store.ListActiveGrantsAsync(cancellationToken))
        {
            if (grant.Requester.UserId == caller.UserId || (grant.Requirement is { } r && policy.IsApprover(caller, place, r)) || MaySee(grant.Target, caller, place))
            {
                rows.Add(AccessListRow.From(grant, now));
            }
        }

        return new AccessListResult(rows, now);
    }

    private async Task<AccessOutcome> BreakGlassAsync(ChatRequest chat, AccessTarget target, TimeSpan duration, string reason, ApprovalRequirement requirement, CancellationToken cancellationToken)
    {
        if (!requirement.BreakGlassAllowed)
        {
            return AccessOutcome.Error(
                $"Break-glass is not allowed for the {requirement.Role} role; nothing was granted.",
                "Drop --break-glass to ask for approval instead.", ErrorCategory.Denied);
        }

        var requester = AccessRequester.From(chat);
        var now = time.GetUtcNow();
        var grantId = await ids.NewGrantIdAsync(cancellationToken);
        var attempt = await grantor.GrantAsync(
            target,
            added => new AccessGrant(grantId, target, added, requester, reason.Trim(), null, requirement, [], BreakGlass: true, now, now + duration),
            async grant =>
            {
                await store.InsertGrantAsync(grant, cancellationToken);
                return true;
            },
            cancellationToken);
        var outcome = await ReportGrantAsync(attempt, target, requester, AccessTransitions.BreakGlass, requester.UserId, cancellationToken);
        if (attempt.Succeeded)
        {
            await notify.SendAsync(
                new AccessAlert(AccessText.Approvers(requirement, requester),
                    $"BREAK-GLASS: {requester.DisplayName} granted themselves {target.Describe()} for {AccessText.Duration(duration)} without approval: \"{reason.Trim()}\" ({grantId}). Review it; type `access revoke {grantId}` to end it.",
                    AccessAlertKind.BreakGlass, requirement.Approvers, grantId),
                cancellationToken);
        }

        return outcome;
    }

    private async Task<AccessOutcome> AutoApproveAsync(AccessRequest request, OnCallShift shift, CancellationToken cancellationToken)
    {
        var now = request.CreatedAt;
        await store.InsertRequestAsync(request, cancellationToken);
        var approved = request with
        {
            Approvals = [new AccessApproval(AccessActors.OnCallRoster, "on-call roster", now, ApprovalKind.OnCall)],
        };
        await audit.RecordAsync(AccessTransitions.AutoApproved, request.Requester.UserId, request.Requester.Platform, request.Requester.PlaceId,
            $"{request.Id}: {request.Target.Describe()} for {AccessText.Duration(request.Duration)}; on call as {shift.Who} until {AccessText.Time(shift.Until)}",
            request.Reason, "ok", cancellationToken);
        return await SettleAsync(request, approved, AccessActors.OnCallRoster, request.Requester.Platform, request.Requester.PlaceId, cancellationToken)
            ?? Busy(request.Id);
    }

    private async Task<AccessOutcome?> SettleAsync(AccessRequest read, AccessRequest approved, string actorId, ChatPlatform platform, string place, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (read.Kind == AccessRequestKind.Extension)
        {
            return await SettleExtensionAsync(read, approved, actorId, platform, place, cancellationToken);
        }

        var grantId = await ids.NewGrantIdAsync(cancellationToken);
        var settled = approved.MoveTo(AccessRequestState.Approved, actorId, now, grantId: grantId);
        var attempt = await grantor.GrantAsync(
            read.Target,
            added => new AccessGrant(grantId, read.Target, added, read.Requester, read.Reason, read.Id, read.Requirement, settled.Approvals, false, now, now + read.Duration),
            grant => store.TrySettleRequestWithGrantAsync(settled, read.Version, grant, cancellationToken),
            cancellationToken);
        if (attempt.Grant is null)
        {
            return null;
        }

        settled = settled with { Version = read.Version + 1 };
        await audit.RecordAsync(AccessTransitions.Approved, actorId, platform, place,
            $"{read.Id}: approved by {AccessText.ApprovalNames(settled.Approvals)}", null, "ok", cancellationToken);
        var outcome = await ReportGrantAsync(attempt, read.Target, read.Requester, AccessTransitions.Granted, actorId, cancellationToken);
        var settledText = attempt.Succeeded
            ? $"Approved by {AccessText.ApprovalNames(settled.Approvals)} at {AccessText.Time(now)}; granted as {grantId} until {AccessText.Time(attempt.Grant.EndsAt)}."
            : $"Approved by {AccessText.ApprovalNames(settled.Approvals)}, but PlanetScale refused the grant: {attempt.Error}";
        await notify.SendAsync(new AccessRequestSettled(AccessText.Approvers(read.Requirement, read.Requester), settledText, settled), cancellationToken);
        return outcome with { Request = settled };
    }

    private async Task<AccessOutcome?> SettleExtensionAsync(AccessRequest read, AccessRequest approved, string actorId, ChatPlatform platform, string place, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var grant = read.GrantId is null ? null : await store.GetGrantAsync(read.GrantId, cancellationToken);
        if (grant is null || !grant.IsActive || grant.IsOverdue(now))
        {
            var failed = approved.MoveTo(AccessRequestState.Failed, actorId, now, "the grant had already ended");
            if (!await store.TryUpdateRequestAsync(failed, read.Version, cancellationToken))
            {
                return null;
            }

            await audit.RecordAsync(AccessTransitions.Failed, actorId, platform, place, $"{read.Id}: extend {read.GrantId}", null, "error: grant already ended", cancellationToken);
            return new AccessOutcome(
                new ErrorResult($"Approved, but grant {read.GrantId} had already ended, so there is nothing to extend.", "The requester can ask for new access.", null, ErrorCategory.Usage),
                null, failed with { Version = read.Version + 1 });
        }

        var settled = approved.MoveTo(AccessRequestState.Approved, actorId, now);
        if (!await store.TryUpdateRequestAsync(settled, read.Version, cancellationToken))
        {
            return null;
        }

        settled = settled with { Version = read.Version + 1 };
        await audit.RecordAsync(AccessTransitions.Approved, actorId, platform, place,
            $"{read.Id}: extension of {read.GrantId} approved by {AccessText.ApprovalNames(settled.Approvals)}", null, "ok", cancellationToken);
        var outcome = await ExtendNowAsync(read.GrantId!, read.Duration, actorId, AccessText.ApprovalNames(settled.Approvals), platform, place, cancellationToken);
        await notify.SendAsync(new AccessRequestSettled(AccessText.Approvers(read.Requirement, read.Requester),
            $"Extension approved by {AccessText.ApprovalNames(settled.Approvals)} at {AccessText.Time(now)}.", settled), cancellationToken);
        await notify.SendAsync(new AccessRequesterNotice(AccessText.Requester(read.Requester),
            outcome.Succeeded ? $"Your extension {read.Id} was approved: {read.GrantId} now ends {AccessText.Time(outcome.Grant!.EndsAt)}." : $"Your extension {read.Id} was approved but could not be applied.",
            read.Id, read.GrantId), cancellationToken);
        return outcome with { Request = settled };
    }

    private async Task<AccessOutcome> ExtendNowAsync(string grantId, TimeSpan duration, string actorId, string actorName, ChatPlatform platform, string place, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < ConcurrencyRetries; attempt++)
        {
            var grant = await store.GetGrantAsync(grantId, cancellationToken);
            var now = time.GetUtcNow();
            if (grant is null || !grant.IsActive || grant.IsOverdue(now))
            {
                return AccessOutcome.Error($"Grant {grantId} has ended and can't be extended.", "Ask for new access instead.");
            }

            var extended = grant with { EndsAt = grant.EndsAt + duration, ReminderSentAt = null };
            if (!await store.TryUpdateGrantAsync(extended, grant.Version, cancellationToken))
            {
                continue;
            }

            extended = extended with { Version = grant.Version + 1 };
            await audit.RecordAsync(AccessTransitions.Extended, actorId, platform, place,
                $"{grantId}: {grant.Target.Describe()} until {AccessText.Time(extended.EndsAt)} (+{AccessText.Duration(duration)})", null, "ok", cancellationToken);
            return new AccessOutcome(
                new MessageResult($"Grant {grantId} extended by {AccessText.Duration(duration)}; it now ends {AccessText.Time(extended.EndsAt)}.", MessageTone.Success),
                $"{actorName} extended {grantId} until {AccessText.Time(extended.EndsAt)}.", null, extended);
        }

        return Busy(grantId);
    }

    private async Task<AccessOutcome> RequestExtensionAsync(ChatRequest chat, AccessGrant grant, TimeSpan duration, string? reason, ApprovalRequirement requirement, CancellationToken cancellationToken)
    {
        if (ValidateDuration(duration, requirement, "--for") is { } error)
        {
            return error;
        }

        if (string.IsNullOrWhiteSpace(reason) && requirement.ReasonRequired)
        {
            return AccessOutcome.Error($"The {requirement.Role} role needs a reason for an extension.", "Add --reason \"why you need longer\".");
        }

        var now = time.GetUtcNow();
        var timeout = requirement.RequestTimeout > TimeSpan.Zero ? requirement.RequestTimeout : FallbackRequestTimeout;
        var requester = AccessRequester.From(chat);
        var request = new AccessRequest(
            await ids.NewRequestIdAsync(cancellationToken), AccessRequestKind.Extension, grant.Target, duration, reason,
            requester, requirement, now, now + timeout, AccessRequestState.Pending, [], GrantId: grant.Id);
        await FileRequestAsync(
            request,
            $"{request.Id}: extend {grant.Id} ({grant.Target.Describe()}) by {AccessText.Duration(duration)}",
            $"{requester.DisplayName} asks to extend {grant.Id} ({grant.Target.Describe()}, ends {AccessText.Time(grant.EndsAt)}) by {AccessText.Duration(duration)}{Quoted(request.Reason)} ({request.Id}).",
            cancellationToken);
        return new AccessOutcome(
            new MessageResult($"Extension request {request.Id} filed: {grant.Id} +{AccessText.Duration(duration)}. It needs {request.RequiredApprovals} approval(s) before {AccessText.Time(request.ExpiresAt)}.", MessageTone.Info),
            $"{requester.DisplayName} asked to extend {grant.Id} by {AccessText.Duration(duration)} ({request.Id}).", request, grant);
    }

    private async Task<AccessOutcome> ReportGrantAsync(GrantAttempt attempt, AccessTarget target, AccessRequester requester, string transition, string actorId, CancellationToken cancellationToken)
    {
        var grant = attempt.Grant!;
        if (!attempt.Succeeded)
        {
            await audit.RecordAsync(AccessTransitions.Failed, actorId, requester.Platform, requester.PlaceId,
                $"{grant.Id}: grant {target.Describe()}", grant.Reason, "error: " + attempt.Error, cancellationToken);
            await notify.SendAsync(new AccessRequesterNotice(AccessText.Requester(requester),
                $"PlanetScale refused your grant of {target.Describe()}: {attempt.Error}", grant.RequestId, grant.Id), cancellationToken);
            return new AccessOutcome(new ErrorResult($"PlanetScale refused the grant of {target.Describe()}: {attempt.Error}", "Nothing is held; try again, or ask an admin.", null, ErrorCategory.Api), null, null, grant);
        }

        var already = target.Permissions.Except(grant.AddedPermissions, StringComparer.Ordinal).ToList();
        var note = already.Count == 0 ? "" : $" (already held, left as they are: {string.Join(", ", already)})";
        var breakGlass = grant.BreakGlass ? "BREAK-GLASS: " : "";
        await audit.RecordAsync(transition, actorId, requester.Platform, requester.PlaceId,
            $"{breakGlass}{grant.Id}: {target.Describe()} until {AccessText.Time(grant.EndsAt)}; added {Listed(grant.AddedPermissions)}",
            grant.Reason, "ok", cancellationToken);
        var text = $"{breakGlass}Granted {grant.Id}: {target.Describe()} until {AccessText.Time(grant.EndsAt)} ({AccessText.Duration(grant.EndsAt - grant.GrantedAt)}){note}. The bot revokes it then; type `access extend {grant.Id} --for 1h` for more time.";
        if (actorId != requester.UserId)
        {
            // The requester may have several requests open: name the one this answers.
            var answers = grant.RequestId is null ? "" : $"Your request {grant.RequestId} was approved. ";
            await notify.SendAsync(new AccessRequesterNotice(AccessText.Requester(requester), answers + text, grant.RequestId, grant.Id), cancellationToken);
        }

        return new AccessOutcome(new MessageResult(text, grant.BreakGlass ? MessageTone.Warning : MessageTone.Success),
            $"{breakGlass}{requester.DisplayName} holds {target.Describe()} until {AccessText.Time(grant.EndsAt)} ({grant.Id}).", null, grant);
    }

    /// <summary>Moves a pending request past its timeout to <see cref="AccessRequestState.Expired"/>; false when it had already moved.</summary>
    internal async Task<bool> ExpireRequestAsync(AccessRequest request, CancellationToken cancellationToken)
    {
        var expired = request.MoveTo(AccessRequestState.Expired, AccessActors.System, time.GetUtcNow(), "no answer within the request timeout");
        if (!await store.TryUpdateRequestAsync(expired, request.Version, cancellationToken))
        {
            return false;
        }

        await audit.RecordAsync(AccessTransitions.RequestExpired, AccessActors.System, request.Requester.Platform, request.Requester.PlaceId,
            $"{request.Id}: {request.Target.Describe()} unanswered since {AccessText.Time(request.CreatedAt)}", null, "ok", cancellationToken);
        await notify.SendAsync(new AccessRequestSettled(AccessText.Approvers(request.Requirement, request.Requester),
            $"Expired unanswered at {AccessText.Time(request.ExpiresAt)}.", expired), cancellationToken);
        await notify.SendAsync(new AccessRequesterNotice(AccessText.Requester(request.Requester),
            $"Your request {request.Id} ({request.Target.Describe()}) expired without an answer; ask again if you still need it.", request.Id, null), cancellationToken);
        return true;
    }

    private async Task MakeDueAsync(string grantId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < ConcurrencyRetries; attempt++)
        {
            var grant = await store.GetGrantAsync(grantId, cancellationToken);
            var now = time.GetUtcNow();
            if (grant is null || !grant.IsActive || grant.EndsAt <= now)
            {
                return;
            }

            if (await store.TryUpdateGrantAsync(grant with { EndsAt = now }, grant.Version, cancellationToken))
            {
                return;
            }
        }
    }

    private async Task<OnCallShift?> OnCallShiftAsync(ChatIdentity who, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            return await roster.FindShiftAsync(who, now, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // An unreadable roster must not block access: fall back to asking approvers.
            LogRosterFailed(ex.GetType().Name, ex.Message);
            return null;
        }
    }

    private bool MayManage(AccessGrant grant, ChatIdentity actor, ChatPlace place) =>
        actor.UserId == grant.Requester.UserId
        || (grant.Requirement is { } r && policy.IsApprover(actor, place, r))
        || policy.Authorize(actor, place, new DeleteAccessCommand(CommonOptions.Default, grant.Target.TokenId, grant.Target.Permissions, grant.Target.Database), grant.Target.Organization)
            is PolicyDecision.Allowed;

    private bool MaySee(AccessTarget target, ChatIdentity caller, ChatPlace place) =>
        policy.Authorize(caller, place, new ShowAccessCommand(CommonOptions.Default, target.TokenId), target.Organization) is PolicyDecision.Allowed;

    private static AccessOutcome? ValidateDuration(TimeSpan duration, ApprovalRequirement requirement, string flag)
    {
        if (duration <= TimeSpan.Zero)
        {
            return AccessOutcome.Error($"{flag} must be a positive duration.", "For example --for 2h.");
        }

        if (requirement.MaxDuration > TimeSpan.Zero && duration > requirement.MaxDuration)
        {
            return AccessOutcome.Error(
                $"{flag} {AccessText.Duration(duration)} is longer than the {AccessText.Duration(requirement.MaxDuration)} the {requirement.Role} role allows.",
                $"Ask for {flag} {AccessText.Duration(requirement.MaxDuration)} or less, and extend later if you need to.");
        }

        return null;
    }

    private static AccessOutcome AlreadySettled(AccessRequest request, ChatIdentity actor)
    {
        var by = request.DecidedBy == AccessActors.System ? "" : $" by {(request.Approvals.LastOrDefault(a => a.ApproverId == request.DecidedBy)?.ApproverName ?? request.DecidedBy)}";
        var text = request.State switch
        {
            AccessRequestState.Approved when request.HasApproved(actor.UserId) => $"You already approved {request.Id}; it is settled{(request.GrantId is null ? "" : $" ({request.GrantId})")}.",
            AccessRequestState.Approved => $"Request {request.Id} was already approved{by} at {AccessText.Time(request.DecidedAt!.Value)}.",
            AccessRequestState.Denied => $"Request {request.Id} was already denied{by}.",
            AccessRequestState.Cancelled => $"Request {request.Id} was cancelled by its requester.",
            AccessRequestState.Expired => $"Request {request.Id} expired unanswered at {AccessText.Time(request.ExpiresAt)} and can no longer be approved.",
            _ => $"Request {request.Id} failed: {request.DecisionNote}.",
        };
        return request.State == AccessRequestState.Expired ? AccessOutcome.Error(text, "Ask again with add-access … --for … --reason ….") : AccessOutcome.Info(text, request);
    }

    // Approve, deny and cancel share this: find the request by its typed id, run one attempt of the change on
    // what was read, and read again when another change won the version check (the attempt returns null).
    private async Task<AccessOutcome> OnRequestAsync(
        string typedId, Func<AccessRequest, string, Task<AccessOutcome?>> attempt, CancellationToken cancellationToken)
    {
        if (AccessIdGenerator.Normalize(typedId, AccessIdGenerator.RequestPrefix) is not { } id)
        {
            return UnknownRequest(typedId);
        }

        for (var tries = 0; tries < ConcurrencyRetries; tries++)
        {
            var request = await store.GetRequestAsync(id, cancellationToken);
            if (request is null)
            {
                return UnknownRequest(typedId);
            }

            if (await attempt(request, id) is { } outcome)
            {
                return outcome;
            }
        }

        return Busy(id);
    }

    // Every pending request, for a grant or an extension, is stored, audited and posted to its approvers with
    // Approve / Deny actions the same way.
    private async Task FileRequestAsync(AccessRequest request, string auditText, string postText, CancellationToken cancellationToken)
    {
        var requester = request.Requester;
        await store.InsertRequestAsync(request, cancellationToken);
        await audit.RecordAsync(AccessTransitions.Requested, requester.UserId, requester.Platform, requester.PlaceId,
            auditText, request.Reason, "ok", cancellationToken);
        await notify.SendAsync(
            new AccessRequestPosted(
                AccessText.Approvers(request.Requirement, requester),
                postText,
                request,
                [
                    new AccessAction(AccessActionIds.Approve, "Approve", request.Id, $"access approve {request.Id}"),
                    new AccessAction(AccessActionIds.Deny, "Deny", request.Id, $"access deny {request.Id}"),
                ]),
            cancellationToken);
    }

    private static AccessOutcome UnknownRequest(string typed) =>
        AccessOutcome.Error($"There is no access request '{typed}'.", "Type `access list` to see pending requests and their ids (like r-7kq2).");

    private static AccessOutcome UnknownGrant(string typed) =>
        AccessOutcome.Error($"There is no grant '{typed}'.", "Type `access list` to see active grants and their ids (like g-7kq2).");

    private static AccessOutcome Busy(string id) =>
        AccessOutcome.Error($"{id} is being changed by someone else right now.", "Try again in a moment.", ErrorCategory.Internal);

    private static string Quoted(string? reason) => reason is null ? " (no reason given)" : $": \"{reason}\"";

    private static string Listed(IReadOnlyList<string>? permissions) =>
        permissions is { Count: > 0 } ? string.Join(", ", permissions) : "nothing (no permission was the grant's own)";

    [LoggerMessage(Level = LogLevel.Warning, Message = "On-call roster unavailable ({ExceptionType}: {Message}); falling back to manual approval")]
    private partial void LogRosterFailed(string exceptionType, string message);
}
