using PscaleBot.Commands.Access;

namespace PscaleBot.Commands.Rotation;

/// <summary>Where a scheduled deletion of a rotated-out token is.</summary>
public enum TokenRetirementState
{
    /// <summary>Waiting for the grace period to end (or for a retry after a failed delete).</summary>
    Scheduled,
    /// <summary>A sweeper is deleting it now; one left here by a dead process is taken over after <see cref="TokenRetirement.DeletingLease"/>.</summary>
    Deleting,
    /// <summary>The old token is gone at PlanetScale.</summary>
    Deleted,
    /// <summary>Called off with <c>service-token rotate &lt;TOKEN_ID&gt; --cancel</c>: the old token stays.</summary>
    Cancelled,
}

/// <summary>
/// The durable promise to delete a rotated-out token when its grace ends. Changed only by compare-and-set on
/// <see cref="Version"/>, so a cancel and a sweep (or two replicas' sweeps) can never both win. Holds no secret.
/// </summary>
/// <param name="Id">Short id (<c>d-7kq2…</c>), for the audit and for people.</param>
/// <param name="Organization">The organization.</param>
/// <param name="OldTokenId">The token to delete.</param>
/// <param name="NewTokenId">The token that replaced it.</param>
/// <param name="TokenName">The name both carry, if any.</param>
/// <param name="Requester">Who rotated, where: told when the old token is gone or deleting it keeps failing.</param>
/// <param name="CreatedAt">When the rotation was made.</param>
/// <param name="DueAt">When the grace ends, or the next retry after a failure.</param>
/// <param name="State">Where it is.</param>
/// <param name="Attempts">Failed delete attempts so far.</param>
/// <param name="LastError">The last failure, worded safely.</param>
/// <param name="ClaimedAt">When the sweeper moved it to <see cref="TokenRetirementState.Deleting"/>.</param>
/// <param name="EndedAt">When it was deleted or cancelled.</param>
/// <param name="EndedBy">Who cancelled it, or <see cref="AccessActors.System"/> for the deletion.</param>
/// <param name="Version">Optimistic-concurrency version; every stored change increments it.</param>
public sealed record TokenRetirement(
    string Id,
    string Organization,
    string OldTokenId,
    string NewTokenId,
    string? TokenName,
    AccessRequester Requester,
    DateTimeOffset CreatedAt,
    DateTimeOffset DueAt,
    TokenRetirementState State = TokenRetirementState.Scheduled,
    int Attempts = 0,
    string? LastError = null,
    DateTimeOffset? ClaimedAt = null,
    DateTimeOffset? EndedAt = null,
    string? EndedBy = null,
    long Version = 0)
{
    /// <summary>How long a <see cref="TokenRetirementState.Deleting"/> claim holds before another sweep may take it over.</summary>
    public static readonly TimeSpan DeletingLease = TimeSpan.FromMinutes(5);

    /// <summary>True while the old token is still to be deleted.</summary>
    public bool IsOpen => State is TokenRetirementState.Scheduled or TokenRetirementState.Deleting;

    /// <summary>When a sweep should next look at it.</summary>
    public DateTimeOffset NextLookAt => State == TokenRetirementState.Deleting && ClaimedAt is { } claimed ? claimed + DeletingLease : DueAt;

    /// <summary>True when a sweep at <paramref name="now"/> should delete it.</summary>
    public bool IsDue(DateTimeOffset now) => IsOpen && now >= NextLookAt;
}
