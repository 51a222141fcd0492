namespace PscaleBot.Commands.Access;

/// <summary>
/// This process as a revoker: a stable <paramref name="InstanceId"/> and the time this run of it started.
/// <para>
/// Why two parts: an instance id names a place a bot runs (a host, or a replica's stable name), so it survives a
/// restart, while the start time tells one run of it from the next. At most one live process holds an instance
/// id at a time (one bot per host and store; each replica its own name), so a claim carrying our instance id and
/// an older start time can only belong to a run that died, and is taken over at once instead of waiting for its
/// lease to lapse (see <see cref="RevokeClaim"/>). Processes that cannot promise that (the shell, which may run
/// beside the bot on the same store) take an id of their own per run, and then only the lease applies to them.
/// </para>
/// </summary>
/// <param name="InstanceId">Stable across restarts of the same bot (default: the host name; <c>AccessRequests:InstanceId</c>).</param>
/// <param name="StartedAt">When this run started, to the millisecond (the precision the stores keep).</param>
public sealed record AccessReplicaIdentity(string InstanceId, DateTimeOffset StartedAt)
{
    /// <summary>The bot's identity on this host: <paramref name="instanceId"/> (or the host name), started now.</summary>
    public static AccessReplicaIdentity ForBot(string? instanceId, TimeProvider time) =>
        new($"revoker:{(string.IsNullOrWhiteSpace(instanceId) ? Environment.MachineName : instanceId.Trim())}", Now(time));

    /// <summary>An identity no other run ever shares (the shell, tests): its claims are only ever leases.</summary>
    public static AccessReplicaIdentity Unique(string kind, TimeProvider time) =>
        new($"{kind}:{Environment.MachineName}:{Guid.NewGuid():N}", Now(time));

    /// <summary>This run's claim on a grant, lasting until <paramref name="until"/>.</summary>
    public RevokeClaim Claim(DateTimeOffset until) => new(InstanceId, StartedAt, until);

    private static DateTimeOffset Now(TimeProvider time) =>
        DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
}

/// <summary>
/// A revoker's claim on a grant, so two processes never revoke the same one.
/// <para>
/// It is a lease: it lapses at <paramref name="Until"/>, which is what keeps several replicas (a PostgreSQL store)
/// safe when one dies, whatever their names. On top of the lease, a claim from an earlier run of the same instance
/// (same <paramref name="InstanceId"/>, older <paramref name="InstanceStartedAt"/>) yields at once, because that run
/// is dead (<see cref="AccessReplicaIdentity"/>); on one host that is the whole story after a crash. A claim with no
/// start time (written before claims carried one) is a plain lease. A later run's claim never yields to an earlier
/// run: if both were alive the id would be shared, and waiting for the lease is the safe side.
/// </para>
/// </summary>
/// <param name="InstanceId">The claiming instance.</param>
/// <param name="InstanceStartedAt">When the claiming run started; null for claims from before it was recorded.</param>
/// <param name="Until">When the lease lapses.</param>
public sealed record RevokeClaim(string InstanceId, DateTimeOffset? InstanceStartedAt, DateTimeOffset Until)
{
    /// <summary>Whether this claim keeps <paramref name="claimant"/> off the grant at <paramref name="now"/>.</summary>
    public bool Excludes(RevokeClaim claimant, DateTimeOffset now) =>
        Until >= now && !(IsSameInstance(claimant) && InstanceStartedAt <= claimant.InstanceStartedAt);

    /// <summary>Whether it was left by an earlier, dead run of <paramref name="claimant"/>'s instance.</summary>
    public bool IsFromEarlierRunOf(RevokeClaim claimant) =>
        IsSameInstance(claimant) && InstanceStartedAt < claimant.InstanceStartedAt;

    private bool IsSameInstance(RevokeClaim other) =>
        InstanceStartedAt is not null && other.InstanceStartedAt is not null
        && string.Equals(InstanceId, other.InstanceId, StringComparison.Ordinal);
}
