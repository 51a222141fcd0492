using Microsoft.Extensions.Logging;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.PlanetScale;

namespace PscaleBot.Commands.Rotation;

/// <summary>Audit names (the entry's <c>Decision</c>) of what happens to a rotated-out token after the command.</summary>
public static class RotationTransitions
{
    /// <summary>The old token was deleted when its grace ended.</summary>
    public const string Deleted = "rotation-old-token-deleted";

    /// <summary>Deleting the old token failed; it is retried.</summary>
    public const string DeleteFailed = "rotation-delete-failed";
}

/// <summary>
/// One pass over scheduled deletions: every one that is due is claimed (<see cref="TokenRetirementState.Deleting"/>,
/// compare-and-set, so a concurrent cancel or another replica's pass loses cleanly), the old token is deleted (a 404
/// counts as gone), then it is marked deleted, audited and the rotator told. A failure puts it back with a backoff.
/// Everything that fell due while the bot was down is due at the first pass after the start.
/// </summary>
public sealed partial class TokenRetirementSweeper(
    ITokenRetirementStore store,
    IPlanetScaleService planetScale,
    AccessAuditor audit,
    AccessNotificationDispatcher notify,
    TimeProvider time,
    ILogger<TokenRetirementSweeper> logger)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromHours(1);

    /// <summary>Tells the rotator after this many failed deletes in a row.</summary>
    public const int NotifyAfterFailures = 3;

    /// <summary>Deletes what is due; returns when the next one falls due (null when nothing is scheduled).</summary>
    public async Task<DateTimeOffset?> SweepAsync(CancellationToken cancellationToken)
    {
        var open = await store.ListOpenAsync(cancellationToken);
        var acted = false;
        foreach (var retirement in open)
        {
            if (retirement.IsDue(time.GetUtcNow()))
            {
                await RetireAsync(retirement, cancellationToken);
                acted = true;
            }
        }

        // Only a pass that changed something needs a fresh read; a rotation scheduled meanwhile wakes the loop anyway.
        if (acted)
        {
            open = await store.ListOpenAsync(cancellationToken);
        }

        return open.Count == 0 ? null : open.Min(r => r.NextLookAt);
    }

    private async Task RetireAsync(TokenRetirement due, CancellationToken cancellationToken)
    {
        var claimed = due with { State = TokenRetirementState.Deleting, ClaimedAt = time.GetUtcNow() };
        if (!await store.TryUpdateAsync(claimed, due.Version, cancellationToken))
        {
            return; // Cancelled or claimed meanwhile: the next pass reads it again.
        }

        claimed = claimed with { Version = due.Version + 1 };
        try
        {
            await planetScale.DeleteTokenAsync(due.Organization, due.OldTokenId, cancellationToken);
        }
        catch (PlanetScaleApiException ex) when (ex.Kind == PlanetScaleErrorKind.NotFound)
        {
            // Already gone (deleted by hand, or by a pass that died before recording it): the goal is reached.
        }
        catch (PlanetScaleApiException ex)
        {
            await FailAsync(claimed, ex.Message, cancellationToken);
            return;
        }

        var deleted = claimed with { State = TokenRetirementState.Deleted, EndedAt = time.GetUtcNow(), EndedBy = AccessActors.System, ClaimedAt = null };
        if (!await store.TryUpdateAsync(deleted, claimed.Version, cancellationToken))
        {
            LogNotRecorded(due.Id, due.OldTokenId);
            return;
        }

        LogDeleted(due.Id, due.OldTokenId);
        await audit.RecordAsync(RotationTransitions.Deleted, AccessActors.System, due.Requester.Platform, due.Requester.PlaceId,
            RotationText.DeletedAudit(due), null, due.Attempts > 0 ? $"ok after {due.Attempts} failed attempt(s)" : "ok", cancellationToken);
        await notify.SendAsync(new AccessRequesterNotice(AccessText.Requester(due.Requester), RotationText.DeletedNotice(due), null, null), cancellationToken);
    }

    private async Task FailAsync(TokenRetirement claimed, string message, CancellationToken cancellationToken)
    {
        var attempts = claimed.Attempts + 1;
        var delay = TimeSpan.FromTicks(Math.Min(LongestRetry.Ticks, FirstRetry.Ticks << Math.Min(attempts - 1, 10)));
        var retry = claimed with
        {
            State = TokenRetirementState.Scheduled,
            Attempts = attempts,
            LastError = message,
            DueAt = time.GetUtcNow() + delay,
            ClaimedAt = null,
        };
        LogDeleteFailed(claimed.Id, claimed.OldTokenId, message);
        if (!await store.TryUpdateAsync(retry, claimed.Version, cancellationToken))
        {
            return;
        }

        await audit.RecordAsync(RotationTransitions.DeleteFailed, AccessActors.System, claimed.Requester.Platform, claimed.Requester.PlaceId,
            RotationText.DeletedAudit(claimed), null, $"error: {message} (attempt {attempts}; retry at {RotationText.At(retry.DueAt)})", cancellationToken);
        if (attempts == NotifyAfterFailures)
        {
            await notify.SendAsync(
                new AccessRequesterNotice(AccessText.Requester(claimed.Requester), RotationText.DeleteFailingNotice(retry, message), null, null),
                cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted rotated-out token {TokenId} ({RetirementId})")]
    private partial void LogDeleted(string retirementId, string tokenId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting rotated-out token {TokenId} ({RetirementId}) failed: {Message}")]
    private partial void LogDeleteFailed(string retirementId, string tokenId, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleted rotated-out token {TokenId} ({RetirementId}) but could not record it; the next pass finds it gone")]
    private partial void LogNotRecorded(string retirementId, string tokenId);
}
