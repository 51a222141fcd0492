using Microsoft.Extensions.Logging;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Commands.Access;

/// <summary>
/// New access: files a request for an approval-gated grant (or grants at once under break-glass or on-call
/// auto-approval), and grants time-bound add-access the policy allows without approval.
/// </summary>
public sealed partial class GrantRequests(
    IAccessStore store,
    AccessIdGenerator ids,
    AccessGrantor grantor,
    IAuthorizationPolicy policy,
    IOnCallRoster roster,
    AccessAuditor audit,
    AccessNotificationDispatcher notify,
    RequestFiling filing,
    GrantReporter reporter,
    RequestSettlement settlement,
    TimeProvider time,
    ILogger<GrantRequests> logger)
{
    /// <summary>Files a request for an approval-gated grant (or grants at once under break-glass or on-call auto-approval).</summary>
    public async Task<AccessOutcome> RequestAsync(ChatRequest chat, string organization, AddAccessCommand command, PolicyDecision.NeedsApproval decision, CancellationToken cancellationToken)
    {
        var requirement = decision.Requirement;
        command = command with { Reason = AccessText.SafeReason(command.Reason) };
        var duration = command.Duration ?? requirement.DefaultDuration;
        if (AccessLimits.CheckDuration(duration, requirement, "--for") is { } durationError)
        {
            return durationError;
        }

        if (string.IsNullOrWhiteSpace(command.Reason) && (command.BreakGlass || requirement.ReasonRequired))
        {
            return AccessText.ReasonMissing(command.BreakGlass, requirement);
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
            return AccessOutcome.Info(AccessText.AlreadyAsked(duplicate), duplicate);
        }

        var request = new AccessRequest(
            await ids.NewRequestIdAsync(cancellationToken),
            AccessRequestKind.Grant,
            target,
            duration,
            command.Reason,
            requester,
            requirement,
            now,
            now + AccessLimits.RequestTimeout(requirement),
            AccessRequestState.Pending,
            []);

        string? skipped = null;
        if (requirement.OnCallAutoApprove)
        {
            var (shift, why) = await OnCallShiftAsync(chat.Caller, now, cancellationToken);
            if (shift is not null)
            {
                return await AutoApproveAsync(request, shift, cancellationToken);
            }

            skipped = why;
        }

        // The requester is not told why on-call did not apply (nothing for them to do); the approvers are.
        await filing.FileAsync(request, AccessText.RequestedAudit(request), AccessText.RequestedPost(request, skipped), skipped, cancellationToken);
        return new AccessOutcome(AccessText.RequestFiled(request), AccessText.RequestedAnnouncement(request), request);
    }

    /// <summary>Grants a time-bound add-access the policy allows without approval, and schedules its revocation.</summary>
    public async Task<AccessOutcome> GrantTimeBoundAsync(ChatRequest chat, string organization, AddAccessCommand command, CancellationToken cancellationToken)
    {
        if (command.Duration is not { } duration || duration <= TimeSpan.Zero)
        {
            return AccessText.TimeBoundNeedsDuration();
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
        return await reporter.ReportAsync(attempt, target, requester, AccessTransitions.Granted, requester.UserId, cancellationToken);
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

    private async Task<AccessOutcome> BreakGlassAsync(ChatRequest chat, AccessTarget target, TimeSpan duration, string reason, ApprovalRequirement requirement, CancellationToken cancellationToken)
    {
        if (!requirement.BreakGlassAllowed)
        {
            return AccessText.BreakGlassNotAllowed(requirement);
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
        var outcome = await reporter.ReportAsync(attempt, target, requester, AccessTransitions.BreakGlass, requester.UserId, cancellationToken);
        if (attempt.Succeeded)
        {
            await notify.SendAsync(
                new AccessAlert(AccessText.Approvers(requirement, requester),
                    AccessText.BreakGlassAlert(requester, target, duration, reason, grantId),
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
            AccessText.AutoApprovedAudit(request, shift), request.Reason, "ok", cancellationToken);
        return await settlement.SettleAsync(request, approved, AccessActors.OnCallRoster, request.Requester.Platform, request.Requester.PlaceId, cancellationToken)
            ?? AccessText.Busy(request.Id);
    }

    private async Task<(OnCallShift? Shift, string? Skipped)> OnCallShiftAsync(ChatIdentity who, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            return (await roster.FindShiftAsync(who, now, cancellationToken), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // An unreadable roster must not block access: fall back to asking approvers, and tell them why.
            LogRosterFailed(ex.GetType().Name, ex.Message);
            return (null, ex is OnCall.OnCallRosterUnavailableException ? ex.Message : AccessText.OnCallRosterUnreadable);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "On-call roster unavailable ({ExceptionType}: {Message}); falling back to manual approval")]
    private partial void LogRosterFailed(string exceptionType, string message);
}
