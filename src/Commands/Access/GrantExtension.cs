using PscaleBot.Commands.Model;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Access;

/// <summary>Moves a grant's end: later (an extension, now), or to now (so the revoker retries a failed revoke).</summary>
public sealed class GrantExtension(IAccessStore store, AccessAuditor audit, TimeProvider time)
{
    /// <summary>
    /// Adds <paramref name="duration"/> to an active grant, version-checked; the reminder is sent again before the new end.
    /// With <paramref name="ceiling"/>, the grant's whole lifetime (from when it was granted) may not pass it: checked
    /// on the version it changes, so two extensions approved at once cannot add up past it. <paramref name="recheck"/>
    /// decides again on every version read (null: go ahead; else the answer to give instead), so the check and the
    /// compare-and-set that follows act on the same version.
    /// </summary>
    public async Task<AccessOutcome> ExtendNowAsync(
        string grantId, TimeSpan duration, string actorId, string actorName, ChatPlatform platform, string place, CancellationToken cancellationToken,
        TimeSpan? ceiling = null, Func<AccessGrant, CancellationToken, Task<AccessOutcome?>>? recheck = null)
    {
        for (var attempt = 0; attempt < AccessLimits.ConcurrencyRetries; attempt++)
        {
            var grant = await store.GetGrantAsync(grantId, cancellationToken);
            var now = time.GetUtcNow();
            if (grant is null || !grant.IsActive || grant.IsOverdue(now))
            {
                return AccessText.GrantEndedCannotExtend(grantId, null);
            }

            if (recheck is not null && await recheck(grant, cancellationToken) is { } instead)
            {
                return instead;
            }

            var extended = grant with { EndsAt = grant.EndsAt + duration, ReminderSentAt = null };
            if (ceiling is { } most && extended.EndsAt - grant.GrantedAt > most)
            {
                await audit.RecordAsync(AccessTransitions.ExtensionRefused, actorId, platform, place,
                    AccessText.ExtensionRefusedAudit(grant, duration, most), null, "denied", cancellationToken);
                return AccessText.ExtensionOverCeiling(grant, duration, most, most - (grant.EndsAt - grant.GrantedAt));
            }

            if (!await store.TryUpdateGrantAsync(extended, grant.Version, cancellationToken))
            {
                continue;
            }

            extended = extended with { Version = grant.Version + 1 };
            await audit.RecordAsync(AccessTransitions.Extended, actorId, platform, place,
                AccessText.ExtendedAudit(grant, extended, duration), null, "ok", cancellationToken);
            return new AccessOutcome(
                new MessageResult(AccessText.Extended(grantId, duration, extended), MessageTone.Success),
                AccessText.ExtendedAnnouncement(actorName, extended), null, extended);
        }

        return AccessText.Busy(grantId);
    }

    /// <summary>Sets an active grant to end now, so the sweeper revokes it (with its retries and alerts).</summary>
    public async Task MakeDueAsync(string grantId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < AccessLimits.ConcurrencyRetries; attempt++)
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
}
