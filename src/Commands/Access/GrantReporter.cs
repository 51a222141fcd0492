using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Access;

/// <summary>Audits a grant attempt, tells the requester when someone else's action granted it, and words the answer.</summary>
public sealed class GrantReporter(AccessAuditor audit, AccessNotificationDispatcher notify)
{
    /// <summary>Reports <paramref name="attempt"/> (which has a grant) as <paramref name="transition"/> by <paramref name="actorId"/>.</summary>
    public async Task<AccessOutcome> ReportAsync(
        GrantAttempt attempt, AccessTarget target, AccessRequester requester, string transition, string actorId, CancellationToken cancellationToken)
    {
        var grant = attempt.Grant!;
        if (!attempt.Succeeded)
        {
            await audit.RecordAsync(AccessTransitions.Failed, actorId, requester.Platform, requester.PlaceId,
                AccessText.GrantFailedAudit(grant), grant.Reason, "error: " + attempt.Error, cancellationToken);
            await notify.SendAsync(new AccessRequesterNotice(AccessText.Requester(requester),
                AccessText.GrantRefusedNotice(target, attempt.Error), grant.RequestId, grant.Id), cancellationToken);
            return new AccessOutcome(AccessText.GrantRefused(target, attempt.Error), null, null, grant);
        }

        await audit.RecordAsync(transition, actorId, requester.Platform, requester.PlaceId,
            AccessText.GrantedAudit(grant), grant.Reason, "ok", cancellationToken);
        var text = AccessText.Granted(grant, target);
        if (actorId != requester.UserId)
        {
            // The requester may have several requests open: name the one this answers.
            await notify.SendAsync(new AccessRequesterNotice(AccessText.Requester(requester),
                AccessText.GrantedNotice(grant, text), grant.RequestId, grant.Id), cancellationToken);
        }

        return new AccessOutcome(new MessageResult(text, grant.BreakGlass ? MessageTone.Warning : MessageTone.Success),
            AccessText.GrantedAnnouncement(grant, requester, target), null, grant);
    }
}
