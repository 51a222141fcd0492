namespace PscaleBot.Commands.Access;

/// <summary>
/// Files a pending request, for a grant or an extension, the one way: stored, audited and posted to its approvers
/// with Approve / Deny actions.
/// </summary>
public sealed class RequestFiling(IAccessStore store, AccessAuditor audit, AccessNotificationDispatcher notify)
{
    /// <summary>
    /// Stores <paramref name="request"/>, audits <paramref name="auditText"/> and posts <paramref name="postText"/> to its
    /// approvers, with <paramref name="note"/> (why it was not settled automatically) for them to read, if any.
    /// </summary>
    public async Task FileAsync(AccessRequest request, string auditText, string postText, string? note, CancellationToken cancellationToken)
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
                ],
                note),
            cancellationToken);
    }
}
