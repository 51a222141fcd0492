using PscaleBot.Commands.Batching;

namespace PscaleBot.Commands.Audit;

/// <summary>
/// Group commit over any <see cref="IAuditLog"/>: appends that arrive while a write is in progress wait together
/// and go to the store as one <see cref="IAuditLog.AppendManyAsync"/> (one short transaction, one flush to disk)
/// instead of one transaction each. Nothing waits on a timer: a lone append is written at once; under a burst,
/// each transaction carries whatever queued up during the previous one (at most <see cref="MaxBatch"/> rows).
/// </summary>
/// <remarks>
/// <para>
/// <b>Durability is unchanged by batching.</b> A caller's <see cref="AppendAsync"/> completes only after the
/// store's <c>AppendManyAsync</c> for the batch holding its entry has returned, i.e. after the transaction has
/// committed; if the store throws, every caller of that batch gets the exception. So the rule the pipeline relies
/// on still holds: a change runs only after its <c>started</c> row is durable, and is refused when that row cannot
/// be written (<c>CommandAuditRecorder.RecordBeforeChangeAsync</c>); its answer is posted only after the outcome
/// row's append has returned.
/// </para>
/// <para>
/// <b>After a crash</b> (the process killed mid-batch, or the machine losing power), the store's own recovery
/// decides what remains, and it is all-or-nothing per transaction: SQLite in WAL mode replays only WAL frames
/// followed by a commit record, and with <c>synchronous=FULL</c> (SQLite's default, which the bot does not lower)
/// the commit is flushed to disk before <c>COMMIT</c> returns; PostgreSQL flushes the commit record of its WAL
/// before it acknowledges. A batch interrupted before its commit is rolled back as a whole, and none of its
/// callers was told it succeeded: those commands were not run (their <c>started</c> row was never confirmed) or
/// their answer was not posted. A row whose append returned is in the store after the restart.
/// </para>
/// </remarks>
public sealed class GroupCommitAuditLog : IAuditLog
{
    /// <summary>Rows per transaction at most, so one transaction stays short under a large burst.</summary>
    public const int MaxBatch = 256;

    private readonly IAuditLog store;
    private readonly GroupCommit<AuditEntry, bool> commits;

    /// <summary>Batches the appends to <paramref name="store"/>.</summary>
    public GroupCommitAuditLog(IAuditLog store)
    {
        ArgumentNullException.ThrowIfNull(store);
        this.store = store;
        commits = new GroupCommit<AuditEntry, bool>(WriteAsync, MaxBatch);
    }

    /// <summary>Transactions written so far (for tests and diagnostics).</summary>
    public long Batches => commits.Batches;

    /// <summary>Queues the entry for the next transaction and returns once that transaction has committed.</summary>
    /// <remarks>A caller that gives up still leaves its row queued: it may or may not be written, and the caller was
    /// not told it was, so the change does not run.</remarks>
    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken) => commits.SubmitAsync(entry, cancellationToken);

    /// <inheritdoc />
    public Task AppendManyAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken) =>
        store.AppendManyAsync(entries, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEntry>> RecentAsync(int limit, CancellationToken cancellationToken) =>
        store.RecentAsync(limit, cancellationToken);

    private async Task<IReadOnlyList<bool>> WriteAsync(IReadOnlyList<AuditEntry> batch)
    {
        await store.AppendManyAsync(batch, CancellationToken.None);
        return new bool[batch.Count];
    }
}
