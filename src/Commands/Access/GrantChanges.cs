using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Policy;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Access;

/// <summary>
/// Changes to a grant that exists: revoke (ends it now, removing only what it owns and nobody else needs) and
/// extend (allowed at once, or filed as an extension request, under the same policy as a new request).
/// </summary>
public sealed class GrantChanges(
    IAccessStore store,
    AccessIdGenerator ids,
    AccessGrantor grantor,
    IAuthorizationPolicy policy,
    AccessAuditor audit,
    AccessNotificationDispatcher notify,
    RequestFiling filing,
    GrantExtension extension,
    TimeProvider time)
{
    /// <summary>Ends a grant now (its holder, an approver of its rule, or someone allowed to delete-access on it here).</summary>
    public async Task<AccessOutcome> RevokeAsync(string typedId, ChatIdentity actor, ChatPlace place, CancellationToken cancellationToken)
    {
        if (AccessIdGenerator.Normalize(typedId, AccessIdGenerator.GrantPrefix) is not { } id || await store.GetGrantAsync(id, cancellationToken) is not { } grant)
        {
            return AccessText.UnknownGrant(typedId);
        }

        if (!MayManage(grant, actor, place))
        {
            return AccessText.MayNotRevoke(id);
        }

        if (!grant.IsActive)
        {
            return AccessOutcome.Info(AccessText.AlreadyEnded(id, grant.EndedAt ?? grant.EndsAt), grant: grant);
        }

        try
        {
            var ended = await grantor.EndAsync(id, AccessGrantState.Revoked, actor.UserId, onlyIfDue: false, cancellationToken);
            if (ended is null)
            {
                return AccessOutcome.Info(AccessText.AlreadyEnded(id, null), grant: await store.GetGrantAsync(id, cancellationToken));
            }

            await audit.RecordAsync(AccessTransitions.Revoked, actor.UserId, actor.Platform, place.PrimaryId,
                AccessText.RevokedAudit(ended), null, "ok", cancellationToken);
            await notify.SendAsync(new AccessGrantEnded(AccessText.Approvers(ended.Requirement, ended.Requester),
                AccessText.RevokedPost(ended, actor), ended), cancellationToken);
            if (actor.UserId != ended.Requester.UserId)
            {
                await notify.SendAsync(new AccessRequesterNotice(AccessText.Requester(ended.Requester),
                    AccessText.RevokedNotice(ended, actor), ended.RequestId, id), cancellationToken);
            }

            return new AccessOutcome(new MessageResult(AccessText.Revoked(ended), MessageTone.Success),
                AccessText.RevokedAnnouncement(ended, actor), null, ended);
        }
        catch (PlanetScaleApiException ex)
        {
            await extension.MakeDueAsync(id, cancellationToken);
            await audit.RecordAsync(AccessTransitions.Failed, actor.UserId, actor.Platform, place.PrimaryId,
                AccessText.RevokeFailedAudit(grant), null, "error: " + ex.Message, cancellationToken);
            return AccessText.RevokeRefused(id, ex.Message);
        }
    }

    /// <summary>More time on a grant, under the same policy as a new request: allowed at once, or filed as an extension request.</summary>
    public async Task<AccessOutcome> ExtendAsync(ChatRequest chat, string typedId, TimeSpan duration, string? reason, CancellationToken cancellationToken)
    {
        var actor = chat.Caller;
        if (AccessIdGenerator.Normalize(typedId, AccessIdGenerator.GrantPrefix) is not { } id || await store.GetGrantAsync(id, cancellationToken) is not { } grant)
        {
            return AccessText.UnknownGrant(typedId);
        }

        var now = time.GetUtcNow();
        if (!grant.IsActive || grant.IsOverdue(now))
        {
            return AccessText.GrantEndedCannotExtend(id, grant.Target);
        }

        if (actor.UserId != grant.Requester.UserId && !(grant.Requirement is { } r && policy.IsApprover(actor, chat.Place, r)))
        {
            return AccessText.OnlyHolderExtends(id);
        }

        if (duration <= TimeSpan.Zero)
        {
            return AccessText.DurationNotPositive("--for", "1h");
        }

        // Decided as the grant it would make: max_duration bounds the whole lifetime from when it was granted, so
        // repeated extensions, each short enough alone, cannot keep a grant forever without an approval.
        return policy.AuthorizeExtension(actor, chat.Place, Lifetime(grant, duration, reason), grant.Target.Organization) switch
        {
            PolicyDecision.Allowed => await extension.ExtendNowAsync(id, duration, actor.UserId, actor.DisplayName, actor.Platform, chat.Place.PrimaryId, cancellationToken,
                recheck: (current, ct) => RecheckAsync(chat, current, duration, reason, ct)),
            var decision => await RefuseOrRequestAsync(chat, grant, duration, reason, decision, cancellationToken),
        };
    }

    // The self-service path decides again on the version it is about to change: two extensions at once each passed
    // the ceiling on the grant they read, and the second must not add up past it after a reload.
    private async Task<AccessOutcome?> RecheckAsync(ChatRequest chat, AccessGrant current, TimeSpan duration, string? reason, CancellationToken cancellationToken)
    {
        var decision = policy.AuthorizeExtension(chat.Caller, chat.Place, Lifetime(current, duration, reason), current.Target.Organization);
        return decision is PolicyDecision.Allowed ? null : await RefuseOrRequestAsync(chat, current, duration, reason, decision, cancellationToken);
    }

    private static AddAccessCommand Lifetime(AccessGrant grant, TimeSpan duration, string? reason) =>
        new(CommonOptions.Default, grant.Target.TokenId, grant.Target.Permissions, grant.Target.Database, grant.EndsAt + duration - grant.GrantedAt, reason ?? grant.Reason);

    private async Task<AccessOutcome> RefuseOrRequestAsync(
        ChatRequest chat, AccessGrant grant, TimeSpan duration, string? reason, PolicyDecision decision, CancellationToken cancellationToken) => decision switch
    {
        PolicyDecision.Denied { MaxDuration: { } ceiling } => await RefuseOverCeilingAsync(chat, grant, duration, ceiling, cancellationToken),
        PolicyDecision.Denied denied => AccessText.MayNotExtend(grant.Id, denied),
        PolicyDecision.NeedsApproval needs => await RequestExtensionAsync(chat, grant, duration, AccessText.SafeReason(reason) ?? grant.Reason, needs.Requirement, cancellationToken),
        _ => AccessText.NoDecision(),
    };

    private async Task<AccessOutcome> RefuseOverCeilingAsync(
        ChatRequest chat, AccessGrant grant, TimeSpan duration, TimeSpan ceiling, CancellationToken cancellationToken)
    {
        var left = ceiling - (grant.EndsAt - grant.GrantedAt);
        await audit.RecordAsync(AccessTransitions.ExtensionRefused, chat.Caller.UserId, chat.Caller.Platform, chat.Place.PrimaryId,
            AccessText.ExtensionRefusedAudit(grant, duration, ceiling), null, "denied", cancellationToken);
        return AccessText.ExtensionOverCeiling(grant, duration, ceiling, left);
    }

    private async Task<AccessOutcome> RequestExtensionAsync(
        ChatRequest chat, AccessGrant grant, TimeSpan duration, string? reason, ApprovalRequirement requirement, CancellationToken cancellationToken)
    {
        if (requirement.MaxDuration > TimeSpan.Zero && grant.EndsAt + duration - grant.GrantedAt > requirement.MaxDuration)
        {
            return await RefuseOverCeilingAsync(chat, grant, duration, requirement.MaxDuration, cancellationToken);
        }

        if (string.IsNullOrWhiteSpace(reason) && requirement.ReasonRequired)
        {
            return AccessText.ExtensionReasonMissing(requirement);
        }

        var now = time.GetUtcNow();
        var requester = AccessRequester.From(chat);
        var request = new AccessRequest(
            await ids.NewRequestIdAsync(cancellationToken), AccessRequestKind.Extension, grant.Target, duration, reason,
            requester, requirement, now, now + AccessLimits.RequestTimeout(requirement), AccessRequestState.Pending, [], GrantId: grant.Id);
        await filing.FileAsync(request, AccessText.ExtensionRequestedAudit(request, grant), AccessText.ExtensionRequestedPost(request, grant), null, cancellationToken);
        return new AccessOutcome(
            new MessageResult(AccessText.ExtensionFiled(request, grant), MessageTone.Info),
            AccessText.ExtensionRequestedAnnouncement(request, grant), request, grant);
    }

    private bool MayManage(AccessGrant grant, ChatIdentity actor, ChatPlace place) =>
        actor.UserId == grant.Requester.UserId
        || (grant.Requirement is { } r && policy.IsApprover(actor, place, r))
        || policy.Authorize(actor, place, new DeleteAccessCommand(CommonOptions.Default, grant.Target.TokenId, grant.Target.Permissions, grant.Target.Database), grant.Target.Organization)
            is PolicyDecision.Allowed;
}
