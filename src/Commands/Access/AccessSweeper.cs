using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PscaleBot.Commands.Access;

/// <summary>
/// One pass over what is due: expires unanswered requests, reminds requesters shortly before their grant ends,
/// and revokes ended grants (retrying failures with exponential backoff and alerting approvers after
/// <see cref="AccessRequestOptions.RevokeAlertAfterFailures"/>). Everything that fell due while the bot was
/// down is due at the first pass. Revokes claim the grant first (<see cref="RevokeClaim"/>) so two processes never
/// revoke the same one; a claim left by this instance's previous, dead run is taken over at once, so a crash in the
/// middle of a revoke costs a restart, not the claim's whole lease. A run that is stopping (a rolling deploy) claims
/// nothing more, and a revoke it must abandon hands its claim back, so the other replicas need not wait for the lease.
/// </summary>
public sealed partial class AccessSweeper(
    IAccessStore store,
    RequestSettlement requests,
    AccessGrantor grantor,
    AccessAuditor audit,
    AccessNotificationDispatcher notify,
    AccessReplicaIdentity replica,
    IOptions<AccessRequestOptions> options,
    TimeProvider time,
    ILogger<AccessSweeper> logger)
{
    private const int StoreRetries = 5;

    /// <summary>How long handing a claim back may take when stopping; past it, the claim's lease applies.</summary>
    public static readonly TimeSpan ReleaseBudget = TimeSpan.FromSeconds(5);

    /// <summary>Does everything due now; returns when something next falls due (null when nothing is scheduled).</summary>
    public Task<DateTimeOffset?> SweepAsync(CancellationToken cancellationToken) => SweepAsync(cancellationToken, cancellationToken);

    /// <summary>
    /// Does everything due now, unless the process is stopping; returns when something next falls due (null when
    /// nothing is scheduled or when stopping).
    /// </summary>
    /// <param name="stopping">Set when the process stops (a rolling deploy): nothing new is claimed or started, so
    /// the other replicas take it at once; the revoke under way goes on.</param>
    /// <param name="cancellationToken">Set when work under way must end (the drain is over): a revoke cancelled by it
    /// hands its claim back, so another replica revokes the grant now instead of when the claim's lease lapses.</param>
    public async Task<DateTimeOffset?> SweepAsync(CancellationToken stopping, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        foreach (var request in await store.ListPendingRequestsAsync(cancellationToken))
        {
            if (stopping.IsCancellationRequested)
            {
                return null;
            }

            if (request.IsPastDue(time.GetUtcNow()))
            {
                await requests.ExpireAsync(request, cancellationToken);
            }
        }

        foreach (var grant in await store.ListActiveGrantsAsync(cancellationToken))
        {
            if (stopping.IsCancellationRequested)
            {
                return null;
            }

            var now = time.GetUtcNow();
            if (grant.IsOverdue(now))
            {
                if (grant.NextAttemptAt is null || grant.NextAttemptAt <= now)
                {
                    await RevokeAsync(grant, settings, cancellationToken);
                }
            }
            else if (NeedsReminder(grant, settings) && now >= grant.EndsAt - settings.ReminderLeadTime)
            {
                await RemindAsync(grant, cancellationToken);
            }
        }

        return stopping.IsCancellationRequested ? null : await NextDueAsync(settings, cancellationToken);
    }

    private async Task<DateTimeOffset?> NextDueAsync(AccessRequestOptions settings, CancellationToken cancellationToken)
    {
        var times = new List<DateTimeOffset>();
        times.AddRange((await store.ListPendingRequestsAsync(cancellationToken)).Select(r => r.ExpiresAt));
        var now = time.GetUtcNow();
        foreach (var grant in await store.ListActiveGrantsAsync(cancellationToken))
        {
            if (grant.Claim is { } claim && claim.Excludes(replica.Claim(now), now))
            {
                // Another process is revoking it: look again when its lease lapses, in case that process died.
                times.Add(claim.Until > grant.DueAt ? claim.Until : grant.DueAt);
            }
            else
            {
                times.Add(grant.DueAt);
            }

            if (!grant.IsOverdue(now) && NeedsReminder(grant, settings))
            {
                times.Add(grant.EndsAt - settings.ReminderLeadTime);
            }
        }

        return times.Count == 0 ? null : times.Min();
    }

    // A grant shorter than the lead time gets no reminder: it would arrive together with the grant itself.
    private static bool NeedsReminder(AccessGrant grant, AccessRequestOptions settings) =>
        settings.ReminderLeadTime > TimeSpan.Zero && grant.ReminderSentAt is null && grant.EndsAt - settings.ReminderLeadTime > grant.GrantedAt;

    private async Task RevokeAsync(AccessGrant due, AccessRequestOptions settings, CancellationToken cancellationToken)
    {
        try
        {
            await ClaimAndRevokeAsync(due, settings, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping, and the drain is over: hand back what this run claimed. Safe even if the DELETE reached
            // PlanetScale, because the next revoker reads what the token holds before it deletes anything.
            await HandBackAsync(due.Id);
            throw;
        }
    }

    private async Task ClaimAndRevokeAsync(AccessGrant due, AccessRequestOptions settings, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var claim = replica.Claim(now + settings.RevokeClaimDuration);
        if (await store.TryClaimGrantAsync(due.Id, claim, now, cancellationToken) is null)
        {
            return;
        }

        if (due.Claim is { } left && left.IsFromEarlierRunOf(claim) && left.Until >= now)
        {
            LogTakenOver(due.Id, left.InstanceStartedAt);
        }

        try
        {
            var ended = await grantor.EndAsync(due.Id, AccessGrantState.Expired, AccessActors.System, onlyIfDue: true, cancellationToken);
            if (ended is null)
            {
                await ReleaseAsync(due.Id, cancellationToken);
                return;
            }

            await audit.RecordAsync(AccessTransitions.Expired, AccessActors.System, ended.Requester.Platform, ended.Requester.PlaceId,
                AccessText.EndedAudit(ended),
                null, ended.RevokeAttempts > 0 ? $"ok after {ended.RevokeAttempts} failed attempt(s)" : "ok", cancellationToken);
            await notify.SendAsync(new AccessRequesterNotice(AccessText.Requester(ended.Requester),
                AccessText.EndedNotice(ended), ended.RequestId, ended.Id), cancellationToken);
            await notify.SendAsync(new AccessGrantEnded(AccessText.Approvers(ended.Requirement, ended.Requester),
                AccessText.EndedPost(ended), ended), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var message = RevokeFailure.Describe(ex);
            LogRevokeFailed(due.Id, message);
            await RecordFailureAsync(due.Id, message, settings, cancellationToken);
        }
    }

    private async Task RecordFailureAsync(string grantId, string message, AccessRequestOptions settings, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < StoreRetries; attempt++)
        {
            var grant = await store.GetGrantAsync(grantId, cancellationToken);
            if (grant is null || !grant.IsActive)
            {
                return;
            }

            var now = time.GetUtcNow();
            var failures = grant.RevokeAttempts + 1;
            var alert = failures >= settings.RevokeAlertAfterFailures && !grant.FailureAlertSent;
            var failed = grant with
            {
                RevokeAttempts = failures,
                NextAttemptAt = now + settings.RetryDelay(failures),
                LastError = message,
                FailureAlertSent = grant.FailureAlertSent || alert,
                Claim = null,
            };
            if (!await store.TryUpdateGrantAsync(failed, grant.Version, cancellationToken))
            {
                continue;
            }

            await audit.RecordAsync(AccessTransitions.Failed, AccessActors.System, grant.Requester.Platform, grant.Requester.PlaceId,
                AccessText.RevokeRetryAudit(failed),
                null, "error: " + message, cancellationToken);
            if (alert)
            {
                var mention = grant.Requirement?.Approvers ?? [];
                await notify.SendAsync(
                    new AccessAlert(AccessText.Approvers(grant.Requirement, grant.Requester),
                        AccessText.RevokeFailingAlert(failed, message),
                        AccessAlertKind.RevokeFailing, mention, grantId),
                    cancellationToken);
            }

            return;
        }
    }

    private async Task HandBackAsync(string grantId)
    {
        using var budget = new CancellationTokenSource(ReleaseBudget, time);
        try
        {
            if (await ReleaseAsync(grantId, budget.Token))
            {
                LogHandedBack(grantId);
            }
        }
        catch (Exception ex)
        {
            LogHandBackFailed(grantId, ex.GetType().Name);
        }
    }

    private async Task<bool> ReleaseAsync(string grantId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < StoreRetries; attempt++)
        {
            var grant = await store.GetGrantAsync(grantId, cancellationToken);
            if (grant is null || grant.Claim is not { } claim || claim.InstanceId != replica.InstanceId || claim.InstanceStartedAt != replica.StartedAt)
            {
                return false;
            }

            if (await store.TryUpdateGrantAsync(grant with { Claim = null }, grant.Version, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    private async Task RemindAsync(AccessGrant grant, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!await store.TryUpdateGrantAsync(grant with { ReminderSentAt = now }, grant.Version, cancellationToken))
        {
            return; // Changed meanwhile (extended, revoked, reminded by another replica): the next pass decides again.
        }

        await audit.RecordAsync(AccessTransitions.Reminded, AccessActors.System, grant.Requester.Platform, grant.Requester.PlaceId,
            AccessText.ReminderAudit(grant), null, "ok", cancellationToken);
        await notify.SendAsync(
            new AccessExpiryReminder(AccessText.Requester(grant.Requester),
                AccessText.Reminder(grant, now),
                grant,
                [new AccessAction(AccessActionIds.Extend, "Extend 1h", grant.Id, $"access extend {grant.Id} --for 1h")]),
            cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Took over revoking grant {GrantId} from this bot's previous run (started {StartedAt:O}), which stopped in the middle of it")]
    private partial void LogTakenOver(string grantId, DateTimeOffset? startedAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: handed revoking grant {GrantId} back to the other replicas")]
    private partial void LogHandedBack(string grantId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping: could not hand revoking grant {GrantId} back ({ExceptionType}); another replica takes it when the claim's lease ends")]
    private partial void LogHandBackFailed(string grantId, string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Revoking grant {GrantId} failed: {Message}")]
    private partial void LogRevokeFailed(string grantId, string message);
}
