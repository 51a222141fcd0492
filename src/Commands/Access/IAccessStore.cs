namespace PscaleBot.Commands.Access;

/// <summary>
/// Durable requests and grants. Every update is a compare-and-set on <c>Version</c>: it succeeds only when the
/// stored row still has the version the caller read, and then stores the version plus one. A false answer
/// means someone else changed the row first: reload and decide again. Implementations: SQLite (one replica),
/// in-memory (shell, tests); a PostgreSQL one for several replicas keeps the same columns.
/// </summary>
public interface IAccessStore
{
    /// <summary>
    /// Fails when the store can be read but no longer written (a read-only disk), so the sweep reports it even while
    /// nothing is due; a sweep with nothing to do only reads. Stores that cannot turn read-only do nothing.
    /// </summary>
    Task ProbeWritableAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Whether a request or grant already uses <paramref name="id"/>.</summary>
    Task<bool> IdExistsAsync(string id, CancellationToken cancellationToken);

    /// <summary>Stores a new request (its version is stored as given, normally 0).</summary>
    Task InsertRequestAsync(AccessRequest request, CancellationToken cancellationToken);

    /// <summary>One request, or null.</summary>
    Task<AccessRequest?> GetRequestAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces a request if its stored version is still <paramref name="expectedVersion"/> and it is still pending
    /// (settled requests are final); the stored copy gets version + 1.
    /// </summary>
    Task<bool> TryUpdateRequestAsync(AccessRequest request, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>Pending requests, oldest first.</summary>
    Task<IReadOnlyList<AccessRequest>> ListPendingRequestsAsync(CancellationToken cancellationToken);

    /// <summary>Stores a new grant.</summary>
    Task InsertGrantAsync(AccessGrant grant, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically settles a request (compare-and-set on <paramref name="expectedRequestVersion"/>) and stores the
    /// grant it made; neither happens when the request changed meanwhile.
    /// </summary>
    Task<bool> TrySettleRequestWithGrantAsync(AccessRequest request, long expectedRequestVersion, AccessGrant grant, CancellationToken cancellationToken);

    /// <summary>One grant, or null.</summary>
    Task<AccessGrant?> GetGrantAsync(string id, CancellationToken cancellationToken);

    /// <summary>Replaces a grant if its stored version is still <paramref name="expectedVersion"/>; the stored copy gets version + 1.</summary>
    Task<bool> TryUpdateGrantAsync(AccessGrant grant, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically stores an ended grant and the grants that inherit its permissions, each compare-and-set on
    /// the version it was read at; nothing is stored when any of them changed.
    /// </summary>
    Task<bool> TryEndGrantAsync(AccessGrant ended, long expectedVersion, IReadOnlyList<GrantUpdate> heirs, CancellationToken cancellationToken);

    /// <summary>Active grants (overdue ones included), soonest end first.</summary>
    Task<IReadOnlyList<AccessGrant>> ListActiveGrantsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Active grants (overdue ones included) on one token of one organization, soonest end first. Ending a grant
    /// needs only its own token's grants (who inherits what it owns); listing every active grant there made a
    /// storm of revocations quadratic. Stores answer it from an index on (organization, token, state).
    /// </summary>
    Task<IReadOnlyList<AccessGrant>> ListActiveGrantsOnTokenAsync(string organization, string tokenId, CancellationToken cancellationToken);

    /// <summary>Grants that ended at or after <paramref name="since"/>.</summary>
    Task<IReadOnlyList<AccessGrant>> ListEndedGrantsAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>
    /// Puts <paramref name="claim"/> on an active grant, atomically. It succeeds when the grant is unclaimed, when
    /// the stored claim does not exclude this one at <paramref name="now"/> (<see cref="RevokeClaim.Excludes"/>: it
    /// lapsed, it is this run's own, or it was left by an earlier, dead run of the same instance). Returns the
    /// claimed grant (version incremented), or null when another claim holds or the grant is no longer active.
    /// </summary>
    Task<AccessGrant?> TryClaimGrantAsync(string grantId, RevokeClaim claim, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>A grant to store, compare-and-set on the version it was read at.</summary>
public sealed record GrantUpdate(AccessGrant Grant, long ExpectedVersion);
