namespace PscaleBot.Commands.Audit;

/// <summary>
/// One recorded event: a command (allowed or denied) or an access-request transition.
/// Never holds a secret: <see cref="Command"/> is the redacted text.
/// </summary>
/// <param name="Time">When.</param>
/// <param name="Platform">shell, slack or teams.</param>
/// <param name="Place">The place's primary policy key.</param>
/// <param name="UserId">The actor's qualified id.</param>
/// <param name="Command">The command text with secrets redacted, or the transition's description.</param>
/// <param name="Decision">allowed, denied, needs-approval, or the transition name.</param>
/// <param name="Reason">The decision's reason.</param>
/// <param name="Outcome">ok, error: …, dry-run, …</param>
/// <param name="RequestIds">PlanetScale request ids of the calls made.</param>
public sealed record AuditEntry(
    DateTimeOffset Time,
    string Platform,
    string Place,
    string UserId,
    string Command,
    string Decision,
    string? Reason,
    string Outcome,
    IReadOnlyList<string> RequestIds);

/// <summary>Append-only audit store (SQLite by default; PostgreSQL can implement it).</summary>
public interface IAuditLog
{
    /// <summary>Records one entry; when it returns, the entry is durable (committed), so a change may go ahead.</summary>
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>
    /// Records <paramref name="entries"/> in order, in one transaction (one commit, one flush to disk): when it
    /// returns, every entry is durable; when it throws, a store that overrides this kept none of them. Used by
    /// <see cref="GroupCommitAuditLog"/> to write the appends of concurrent commands together.
    /// </summary>
    /// <remarks>
    /// Stores should override this with one transaction (SQLite: <c>BEGIN … COMMIT</c> around the inserts;
    /// PostgreSQL: one <c>NpgsqlTransaction</c> or a multi-row <c>INSERT</c>). This default, for a store that has
    /// not, appends one entry at a time: still durable on return, but a failure part-way may keep the first entries.
    /// That errs on the safe side: the batch's callers are all told it failed (their changes are refused) while
    /// their rows may exist; an audit may show a <c>started</c> change that never ran, never miss one that did.
    /// </remarks>
    async Task AppendManyAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        foreach (var entry in entries)
        {
            await AppendAsync(entry, cancellationToken);
        }
    }

    /// <summary>The newest entries, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> RecentAsync(int limit, CancellationToken cancellationToken);
}
