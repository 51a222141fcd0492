namespace PscaleBot.Commands.Access;

/// <summary>
/// A single-process <see cref="IAccessStore"/> with the same compare-and-set rules as the database stores.
/// Nothing survives a restart: for the local shell and tests, never for a deployment.
/// </summary>
public sealed class InMemoryAccessStore : IAccessStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, AccessRequest> requests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AccessGrant> grants = new(StringComparer.Ordinal);

    // Grant ids by (organization, token): a grant's target never changes, so the ids are added once and kept.
    private readonly Dictionary<(string Organization, string TokenId), List<string>> grantsByToken = [];

    /// <inheritdoc />
    public Task<bool> IdExistsAsync(string id, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult(requests.ContainsKey(id) || grants.ContainsKey(id));
        }
    }

    /// <inheritdoc />
    public Task InsertRequestAsync(AccessRequest request, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (!requests.TryAdd(request.Id, request))
            {
                throw new InvalidOperationException($"Request {request.Id} already exists.");
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<AccessRequest?> GetRequestAsync(string id, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult(requests.GetValueOrDefault(id));
        }
    }

    /// <inheritdoc />
    public Task<bool> TryUpdateRequestAsync(AccessRequest request, long expectedVersion, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult(TryReplaceRequest(request, expectedVersion));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AccessRequest>> ListPendingRequestsAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            IReadOnlyList<AccessRequest> pending = [.. requests.Values.Where(r => r.State == AccessRequestState.Pending).OrderBy(r => r.CreatedAt)];
            return Task.FromResult(pending);
        }
    }

    /// <inheritdoc />
    public Task InsertGrantAsync(AccessGrant grant, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (!grants.TryAdd(grant.Id, grant))
            {
                throw new InvalidOperationException($"Grant {grant.Id} already exists.");
            }

            IndexByToken(grant);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> TrySettleRequestWithGrantAsync(AccessRequest request, long expectedRequestVersion, AccessGrant grant, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (grants.ContainsKey(grant.Id) || !TryReplaceRequest(request, expectedRequestVersion))
            {
                return Task.FromResult(false);
            }

            grants.Add(grant.Id, grant);
            IndexByToken(grant);
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<AccessGrant?> GetGrantAsync(string id, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult(grants.GetValueOrDefault(id));
        }
    }

    /// <inheritdoc />
    public Task<bool> TryUpdateGrantAsync(AccessGrant grant, long expectedVersion, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (!grants.TryGetValue(grant.Id, out var stored) || stored.Version != expectedVersion)
            {
                return Task.FromResult(false);
            }

            grants[grant.Id] = grant with { Version = expectedVersion + 1 };
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<bool> TryEndGrantAsync(AccessGrant ended, long expectedVersion, IReadOnlyList<GrantUpdate> heirs, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var all = heirs.Prepend(new GrantUpdate(ended, expectedVersion)).ToList();
            if (all.Any(u => !grants.TryGetValue(u.Grant.Id, out var stored) || stored.Version != u.ExpectedVersion))
            {
                return Task.FromResult(false);
            }

            foreach (var update in all)
            {
                grants[update.Grant.Id] = update.Grant with { Version = update.ExpectedVersion + 1 };
            }

            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AccessGrant>> ListActiveGrantsAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            IReadOnlyList<AccessGrant> active = [.. grants.Values.Where(g => g.IsActive).OrderBy(g => g.EndsAt)];
            return Task.FromResult(active);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AccessGrant>> ListActiveGrantsOnTokenAsync(string organization, string tokenId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            IReadOnlyList<AccessGrant> active = grantsByToken.TryGetValue((organization, tokenId), out var ids)
                ? [.. ids.Select(id => grants[id]).Where(g => g.IsActive).OrderBy(g => g.EndsAt)]
                : [];
            return Task.FromResult(active);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AccessGrant>> ListEndedGrantsAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            IReadOnlyList<AccessGrant> ended = [.. grants.Values.Where(g => !g.IsActive && g.EndedAt >= since).OrderBy(g => g.EndedAt)];
            return Task.FromResult(ended);
        }
    }

    /// <inheritdoc />
    public Task<AccessGrant?> TryClaimGrantAsync(string grantId, RevokeClaim claim, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (!grants.TryGetValue(grantId, out var stored) || !stored.IsActive || (stored.Claim?.Excludes(claim, now) ?? false))
            {
                return Task.FromResult<AccessGrant?>(null);
            }

            var claimed = stored with { Claim = claim, Version = stored.Version + 1 };
            grants[grantId] = claimed;
            return Task.FromResult<AccessGrant?>(claimed);
        }
    }

    private bool TryReplaceRequest(AccessRequest request, long expectedVersion)
    {
        if (!requests.TryGetValue(request.Id, out var stored) || stored.Version != expectedVersion)
        {
            return false;
        }

        // A settled request is final: no field of it changes again.
        if (stored.IsSettled || (request.State != stored.State && !AccessRequestTransitions.IsAllowed(stored.State, request.State)))
        {
            return false;
        }

        requests[request.Id] = request with { Version = expectedVersion + 1 };
        return true;
    }

    private void IndexByToken(AccessGrant grant)
    {
        var key = (grant.Target.Organization, grant.Target.TokenId);
        (grantsByToken.TryGetValue(key, out var ids) ? ids : grantsByToken[key] = []).Add(grant.Id);
    }
}
