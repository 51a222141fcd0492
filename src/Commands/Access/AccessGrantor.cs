using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.PlanetScale.Budget;

namespace PscaleBot.Commands.Access;

/// <summary>What happened when permissions were granted.</summary>
/// <param name="Grant">The grant as stored, or null when the store refused it (someone else settled first).</param>
/// <param name="Error">Why PlanetScale refused, when it did; the grant is then set to end at once so the revoker cleans up.</param>
public sealed record GrantAttempt(AccessGrant? Grant, string? Error)
{
    /// <summary>True when the permissions are in place.</summary>
    public bool Succeeded => Grant is not null && Error is null;
}

/// <summary>
/// Puts grants in place at PlanetScale and takes them away, keeping the ownership rule of
/// <see cref="AccessGrant"/>: a grant owns only what it added; ending it deletes what it owns and nobody else
/// needs, and hands the rest to the grant that still needs it for longest. Work on one token is serialised.
/// </summary>
public sealed class AccessGrantor(IPlanetScaleService planetScale, IAccessStore store, ITokenChangeLock tokenLock, AccessWakeSignal wake, TimeProvider time)
{
    private const int StoreRetries = 5;

    /// <summary>
    /// Reads what the token holds, lets <paramref name="persist"/> record the grant (owning only the permissions
    /// not already held) before PlanetScale is called, so a crash after the call still ends in a revoke; then
    /// adds the missing permissions.
    /// </summary>
    /// <param name="target">What to grant.</param>
    /// <param name="build">Makes the grant record from the permissions it will own.</param>
    /// <param name="persist">Stores it (a compare-and-set); false means someone else got there first and nothing is granted.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<GrantAttempt> GrantAsync(
        AccessTarget target,
        Func<IReadOnlyList<string>, AccessGrant> build,
        Func<AccessGrant, Task<bool>> persist,
        CancellationToken cancellationToken)
    {
        // A user's change: ahead of reads on the rate budget, and what the token holds is read fresh, not from cache.
        using var priority = PlanetScalePriority.Change();
        await using var _ = await tokenLock.AcquireAsync(target.Organization, target.TokenId, cancellationToken);
        var held = await HeldAsync(target, cancellationToken);
        IReadOnlyList<string> toAdd = [.. target.Permissions.Where(p => !held.Contains(p))];
        var grant = build(toAdd);
        if (!await persist(grant))
        {
            return new GrantAttempt(null, null);
        }

        wake.Signal();
        if (toAdd.Count == 0)
        {
            return new GrantAttempt(grant, null);
        }

        try
        {
            await planetScale.AddAccessAsync(target.Organization, target.TokenId, target.Database, toAdd, cancellationToken);
            return new GrantAttempt(grant, null);
        }
        catch (PlanetScaleApiException ex)
        {
            // A timeout or 5xx may still have added them; look before calling it a failure.
            if (await AllHeldAsync(target, toAdd, cancellationToken))
            {
                return new GrantAttempt(grant, null);
            }

            var ended = await EndNowAsync(grant.Id, cancellationToken);
            return new GrantAttempt(ended ?? grant, ex.Message);
        }
    }

    /// <summary>
    /// Ends a grant: deletes the permissions it owns that no other active grant on the token and resource needs
    /// and that the token still holds, hands the others over, and stores the end. Throws
    /// <see cref="PlanetScaleApiException"/> when PlanetScale refuses; nothing is stored then.
    /// </summary>
    /// <param name="grantId">The grant.</param>
    /// <param name="state"><see cref="AccessGrantState.Expired"/> or <see cref="AccessGrantState.Revoked"/>.</param>
    /// <param name="actorId">Who ends it.</param>
    /// <param name="onlyIfDue">For the revoker: leave it alone when, read under the token's lock, its end has moved into the future.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The ended grant, or null when it was not active (or not due) any more.</returns>
    public async Task<AccessGrant?> EndAsync(string grantId, AccessGrantState state, string actorId, bool onlyIfDue, CancellationToken cancellationToken)
    {
        // Expiries and revocations come first on the rate budget, and decide on what PlanetScale says now, never on a cache.
        using var priority = PlanetScalePriority.Revocation();
        var first = await store.GetGrantAsync(grantId, cancellationToken);
        if (first is null)
        {
            return null;
        }

        await using var _ = await tokenLock.AcquireAsync(first.Target.Organization, first.Target.TokenId, cancellationToken);
        IReadOnlyList<string>? deleted = null;
        var removedAt = DateTimeOffset.MinValue;
        for (var attempt = 0; attempt < StoreRetries; attempt++)
        {
            var grant = await store.GetGrantAsync(grantId, cancellationToken);
            var now = time.GetUtcNow();
            if (grant is null || !grant.IsActive || (onlyIfDue && now < grant.EndsAt))
            {
                return null;
            }

            var others = (await store.ListActiveGrantsOnTokenAsync(grant.Target.Organization, grant.Target.TokenId, cancellationToken))
                .Where(g => g.Id != grant.Id && g.Target.SameResource(grant.Target))
                .ToList();
            var heirs = HandOver(grant, others);
            var needed = heirs.SelectMany(h => h.Inherited).ToHashSet(StringComparer.Ordinal);

            if (deleted is null)
            {
                var held = await HeldAsync(grant.Target, cancellationToken);
                List<string> toDelete = [.. grant.AddedPermissions.Where(p => !needed.Contains(p) && held.Contains(p))];
                if (toDelete.Count > 0)
                {
                    await planetScale.DeleteAccessAsync(grant.Target.Organization, grant.Target.TokenId, grant.Target.Database, toDelete, cancellationToken);
                }

                deleted = toDelete;

                // The permission went when PlanetScale answered, which may be long after the end was due (a slow
                // DELETE, or a restart after a crash mid-revoke): that moment, not the planned end, is the grant's end.
                removedAt = time.GetUtcNow();
            }

            var ended = grant with
            {
                State = state,
                EndedAt = removedAt,
                EndedBy = actorId,
                RemovedPermissions = deleted,
                Claim = null,
                NextAttemptAt = null,
            };
            var updates = heirs
                .Select(h => new GrantUpdate(
                    h.Heir with { AddedPermissions = [.. h.Heir.AddedPermissions.Union(h.Inherited, StringComparer.Ordinal)] },
                    h.Heir.Version))
                .ToList();
            if (await store.TryEndGrantAsync(ended, grant.Version, updates, cancellationToken))
            {
                return ended with { Version = grant.Version + 1 };
            }
        }

        throw new InvalidOperationException($"Grant {grantId} kept changing while it was being ended.");
    }

    /// <summary>The permissions the token holds on the target's resource right now.</summary>
    public async Task<HashSet<string>> HeldAsync(AccessTarget target, CancellationToken cancellationToken)
    {
        var rows = await planetScale.GetAccessAsync(target.Organization, target.TokenId, cancellationToken);
        return rows
            .Where(r => target.Database is null
                ? r.ResourceKind == ResourceKind.Organization
                : r.ResourceKind == ResourceKind.Database && string.Equals(r.ResourceName, target.Database, StringComparison.Ordinal))
            .Select(r => r.Permission)
            .ToHashSet(StringComparer.Ordinal);
    }

    private async Task<bool> AllHeldAsync(AccessTarget target, IReadOnlyList<string> permissions, CancellationToken cancellationToken)
    {
        try
        {
            var held = await HeldAsync(target, cancellationToken);
            return permissions.All(held.Contains);
        }
        catch (PlanetScaleApiException)
        {
            return false;
        }
    }

    private async Task<AccessGrant?> EndNowAsync(string grantId, CancellationToken cancellationToken)
    {
        // The grant record stays active but due now: the revoker deletes whatever part of it did get added.
        for (var attempt = 0; attempt < StoreRetries; attempt++)
        {
            var grant = await store.GetGrantAsync(grantId, cancellationToken);
            if (grant is null || !grant.IsActive)
            {
                return grant;
            }

            var due = grant with { EndsAt = time.GetUtcNow() };
            if (await store.TryUpdateGrantAsync(due, grant.Version, cancellationToken))
            {
                wake.Signal();
                return due with { Version = grant.Version + 1 };
            }
        }

        return null;
    }

    private static List<(AccessGrant Heir, IReadOnlyList<string> Inherited)> HandOver(AccessGrant ending, IReadOnlyList<AccessGrant> others)
    {
        // Each owned permission still needed goes to the grant needing it that lasts longest, so it changes hands least.
        var inherited = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var permission in ending.AddedPermissions)
        {
            var heir = others
                .Where(o => o.Target.Permissions.Contains(permission, StringComparer.Ordinal))
                .OrderByDescending(o => o.EndsAt)
                .ThenBy(o => o.Id, StringComparer.Ordinal)
                .FirstOrDefault();
            if (heir is not null)
            {
                (inherited.TryGetValue(heir.Id, out var list) ? list : inherited[heir.Id] = []).Add(permission);
            }
        }

        return [.. others.Where(o => inherited.ContainsKey(o.Id)).Select(o => (o, (IReadOnlyList<string>)inherited[o.Id]))];
    }
}
