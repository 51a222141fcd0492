using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Access;

/// <summary>
/// Settles pending requests: approve (distinct approvers, never oneself; the last approval needed grants or
/// extends), deny, cancel and expire. Every move is a version-checked store transition, so a request is settled
/// exactly once however many people click at the same time; each is audited and announced.
/// </summary>
public sealed class RequestSettlement(
    IAccessStore store,
    AccessIdGenerator ids,
    AccessGrantor grantor,
    IAuthorizationPolicy policy,
    AccessAuditor audit,
    AccessNotificationDispatcher notify,
    GrantReporter reporter,
    GrantExtension extension,
    TimeProvider time)
{
    /// <summary>Records one approval; the last one needed grants (or extends). Safe to call twice or concurrently.</summary>
    public Task<AccessOutcome> ApproveAsync(string typedId, ChatIdentity approver, ChatPlace place, CancellationToken cancellationToken) =>
        OnRequestAsync(typedId, async (request, id) =>
        {
            if (request.IsSettled)
            {
                return AccessText.AlreadySettled(request, approver);
            }

            var now = time.GetUtcNow();
            if (request.IsPastDue(now))
            {
                await ExpireAsync(request, cancellationToken);
                return AccessText.ExpiredCannotApprove(request);
            }

            if (string.Equals(approver.UserId, request.Requester.UserId, StringComparison.Ordinal))
            {
                return AccessText.OwnRequest(request);
            }

            if (!policy.IsApprover(approver, place, request.Requirement))
            {
                return AccessText.NotAnApprover(request);
            }

            if (request.HasApproved(approver.UserId))
            {
                return AccessOutcome.Info(AccessText.AlreadyApproved(request), request);
            }

            var approved = request with { Approvals = [.. request.Approvals, new AccessApproval(approver.UserId, approver.DisplayName, now)] };
            return approved.Approvals.Count < request.RequiredApprovals
                ? await RecordApprovalAsync(request, approved, approver, place, cancellationToken)
                : await SettleAsync(request, approved, approver.UserId, approver.Platform, place.PrimaryId, cancellationToken);
        }, cancellationToken);

    /// <summary>Denies a pending request (approvers only).</summary>
    public Task<AccessOutcome> DenyAsync(string typedId, ChatIdentity actor, ChatPlace place, string? reason, CancellationToken cancellationToken) =>
        OnRequestAsync(typedId, async (request, id) =>
        {
            if (request.IsSettled)
            {
                return AccessText.AlreadySettled(request, actor);
            }

            if (!policy.IsApprover(actor, place, request.Requirement) || actor.UserId == request.Requester.UserId)
            {
                return AccessText.MayNotDeny(request, ownRequest: actor.UserId == request.Requester.UserId);
            }

            var now = time.GetUtcNow();
            var denied = request.MoveTo(AccessRequestState.Denied, actor.UserId, now, AccessText.SafeReason(reason));
            if (!await store.TryUpdateRequestAsync(denied, request.Version, cancellationToken))
            {
                return null;
            }

            denied = denied with { Version = request.Version + 1 };
            await audit.RecordAsync(AccessTransitions.Denied, actor.UserId, actor.Platform, place.PrimaryId,
                AccessText.RequestAudit(request), denied.DecisionNote, "ok", cancellationToken);
            await notify.SendAsync(new AccessRequestSettled(AccessText.Approvers(request.Requirement, request.Requester),
                AccessText.DeniedPost(actor, now, denied), denied), cancellationToken);
            await notify.SendAsync(new AccessRequesterNotice(AccessText.Requester(request.Requester),
                AccessText.DeniedNotice(denied, actor), id, null), cancellationToken);
            return new AccessOutcome(new MessageResult(AccessText.Denied(id), MessageTone.Success), AccessText.DeniedAnnouncement(actor, id), denied);
        }, cancellationToken);

    /// <summary>Withdraws a pending request (its requester only).</summary>
    public Task<AccessOutcome> CancelAsync(string typedId, ChatIdentity actor, ChatPlace place, CancellationToken cancellationToken) =>
        OnRequestAsync(typedId, async (request, id) =>
        {
            if (actor.UserId != request.Requester.UserId)
            {
                return AccessText.OnlyRequesterCancels(id);
            }

            if (request.IsSettled)
            {
                return AccessText.AlreadySettled(request, actor);
            }

            var cancelled = request.MoveTo(AccessRequestState.Cancelled, actor.UserId, time.GetUtcNow());
            if (!await store.TryUpdateRequestAsync(cancelled, request.Version, cancellationToken))
            {
                return null;
            }

            cancelled = cancelled with { Version = request.Version + 1 };
            await audit.RecordAsync(AccessTransitions.Cancelled, actor.UserId, actor.Platform, place.PrimaryId,
                AccessText.RequestAudit(request), null, "ok", cancellationToken);
            await notify.SendAsync(new AccessRequestSettled(AccessText.Approvers(request.Requirement, request.Requester),
                AccessText.CancelledPost(actor, cancelled), cancelled), cancellationToken);
            return new AccessOutcome(new MessageResult(AccessText.Cancelled(id), MessageTone.Success), null, cancelled);
        }, cancellationToken);

    /// <summary>Moves a pending request past its timeout to <see cref="AccessRequestState.Expired"/>; false when it had already moved.</summary>
    public async Task<bool> ExpireAsync(AccessRequest request, CancellationToken cancellationToken)
    {
        var expired = request.MoveTo(AccessRequestState.Expired, AccessActors.System, time.GetUtcNow(), "no answer within the request timeout");
        if (!await store.TryUpdateRequestAsync(expired, request.Version, cancellationToken))
        {
            return false;
        }

        await audit.RecordAsync(AccessTransitions.RequestExpired, AccessActors.System, request.Requester.Platform, request.Requester.PlaceId,
            AccessText.ExpiredAudit(request), null, "ok", cancellationToken);
        await notify.SendAsync(new AccessRequestSettled(AccessText.Approvers(request.Requirement, request.Requester),
            AccessText.ExpiredPost(request), expired), cancellationToken);
        await notify.SendAsync(new AccessRequesterNotice(AccessText.Requester(request.Requester),
            AccessText.ExpiredNotice(request), request.Id, null), cancellationToken);
        return true;
    }

    /// <summary>
    /// Settles <paramref name="read"/> as <paramref name="approved"/>, granting (or extending) once; null when another
    /// change won the version check, so the caller reads again.
    /// </summary>
    public async Task<AccessOutcome?> SettleAsync(
        AccessRequest read, AccessRequest approved, string actorId, ChatPlatform platform, string place, CancellationToken cancellationToken)
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
            AccessText.ApprovedAudit(settled), null, "ok", cancellationToken);
        var outcome = await reporter.ReportAsync(attempt, read.Target, read.Requester, AccessTransitions.Granted, actorId, cancellationToken);
        await notify.SendAsync(new AccessRequestSettled(AccessText.Approvers(read.Requirement, read.Requester),
            AccessText.ApprovedPost(settled, now, attempt), settled), cancellationToken);
        return outcome with { Request = settled };
    }

    private async Task<AccessOutcome?> RecordApprovalAsync(
        AccessRequest request, AccessRequest approved, ChatIdentity approver, ChatPlace place, CancellationToken cancellationToken)
    {
        if (!await store.TryUpdateRequestAsync(approved, request.Version, cancellationToken))
        {
            return null;
        }

        approved = approved with { Version = request.Version + 1 };
        await audit.RecordAsync(AccessTransitions.Approved, approver.UserId, approver.Platform, place.PrimaryId,
            AccessText.ApprovalCountAudit(approved), null, "ok", cancellationToken);
        await notify.SendAsync(
            new AccessRequestProgress(AccessText.Approvers(request.Requirement, request.Requester), AccessText.ApprovalProgressPost(approver, approved), approved),
            cancellationToken);
        return new AccessOutcome(
            new MessageResult(AccessText.ApprovalRecorded(approved), MessageTone.Success),
            AccessText.ApprovalAnnouncement(approver, approved),
            approved);
    }

    private async Task<AccessOutcome?> SettleExtensionAsync(
        AccessRequest read, AccessRequest approved, string actorId, ChatPlatform platform, string place, CancellationToken cancellationToken)
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

            await audit.RecordAsync(AccessTransitions.Failed, actorId, platform, place, AccessText.ExtensionAudit(read), null, "error: grant already ended", cancellationToken);
            return new AccessOutcome(AccessText.NothingToExtend(read), null, failed with { Version = read.Version + 1 });
        }

        var settled = approved.MoveTo(AccessRequestState.Approved, actorId, now);
        if (!await store.TryUpdateRequestAsync(settled, read.Version, cancellationToken))
        {
            return null;
        }

        settled = settled with { Version = read.Version + 1 };
        var approvers = AccessText.ApprovalNames(settled.Approvals);
        await audit.RecordAsync(AccessTransitions.Approved, actorId, platform, place,
            AccessText.ExtensionApprovedAudit(settled), null, "ok", cancellationToken);
        TimeSpan? ceiling = read.Requirement.MaxDuration > TimeSpan.Zero ? read.Requirement.MaxDuration : null;
        var outcome = await extension.ExtendNowAsync(read.GrantId!, read.Duration, actorId, approvers, platform, place, cancellationToken, ceiling);
        await notify.SendAsync(new AccessRequestSettled(AccessText.Approvers(read.Requirement, read.Requester),
            AccessText.ExtensionApprovedPost(settled, now), settled), cancellationToken);
        await notify.SendAsync(new AccessRequesterNotice(AccessText.Requester(read.Requester),
            AccessText.ExtensionApprovedNotice(read, outcome), read.Id, read.GrantId), cancellationToken);
        return outcome with { Request = settled };
    }

    // Approve, deny and cancel share this: find the request by its typed id, run one attempt of the change on
    // what was read, and read again when another change won the version check (the attempt returns null).
    private async Task<AccessOutcome> OnRequestAsync(
        string typedId, Func<AccessRequest, string, Task<AccessOutcome?>> attempt, CancellationToken cancellationToken)
    {
        if (AccessIdGenerator.Normalize(typedId, AccessIdGenerator.RequestPrefix) is not { } id)
        {
            return AccessText.UnknownRequest(typedId);
        }

        for (var tries = 0; tries < AccessLimits.ConcurrencyRetries; tries++)
        {
            var request = await store.GetRequestAsync(id, cancellationToken);
            if (request is null)
            {
                return AccessText.UnknownRequest(typedId);
            }

            if (await attempt(request, id) is { } outcome)
            {
                return outcome;
            }
        }

        return AccessText.Busy(id);
    }
}
