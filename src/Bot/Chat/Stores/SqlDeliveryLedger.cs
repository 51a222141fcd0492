using System.Data.Common;
using Microsoft.Extensions.Logging.Abstractions;
using PscaleBot.Bot.Persistence;
using PscaleBot.Bot.Persistence.Migrations;
using PscaleBot.Commands.Batching;
using PscaleBot.Commands.Http;

namespace PscaleBot.Bot.Chat.Stores;

/// <summary>
/// <see cref="IDeliveryLedger"/> in a database shared by every replica. One statement decides:
/// <c>INSERT … ON CONFLICT (key_digest) DO UPDATE … WHERE expires_at &lt;= now RETURNING 1</c> records a new key, or
/// re-records one whose window has passed, and returns nothing when a live row holds the key. The unique key
/// makes that atomic across connections and processes: of N callers only one gets a row back (PostgreSQL
/// re-checks the condition on the row a concurrent winner just wrote; SQLite runs writers one at a time).
/// Windows are timed by the bot's <see cref="TimeProvider"/>; replicas' clocks agree to far less than a window.
/// Expired rows are purged at most once a minute per process, after a recording.
/// Recordings are group-committed (<see cref="GroupCommit{TItem,TResult}"/>): the keys of commands acknowledged at
/// the same moment are recorded in one short transaction, in arrival order, so a burst of acknowledgements does not
/// queue for the store's write lock one commit (and one flush to disk) at a time. A caller learns its key was
/// recorded only once that transaction has committed; if it fails, every caller of the batch is told the store is
/// unavailable and runs nothing. Two deliveries of one key in the same batch: the first records it, the second finds
/// it (same transaction), exactly as one after the other.
/// </summary>
public sealed partial class SqlDeliveryLedger : IDeliveryLedger, IMigratingStore
{
    private const string RecordSql = """
        INSERT INTO delivery_keys (key_digest, expires_at) VALUES (@key, @expires)
        ON CONFLICT (key_digest) DO UPDATE SET expires_at = excluded.expires_at WHERE delivery_keys.expires_at <= @now
        RETURNING 1
        """;

    private readonly IStoreDatabase database;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly PurgeSchedule purges;
    private readonly DependencyOutage outage;
    private readonly GroupCommit<Recording, bool> recordings;

    /// <summary>Keys per transaction at most, so one transaction stays short under a large burst.</summary>
    public const int MaxBatch = 256;

    /// <summary>A ledger in <paramref name="database"/> (its schema is <see cref="DeliveryLedgerSchema"/>).</summary>
    public SqlDeliveryLedger(IStoreDatabase database, TimeProvider time, ILogger<SqlDeliveryLedger>? logger = null)
    {
        this.database = database;
        this.time = time;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
        purges = new PurgeSchedule(time);
        outage = new DependencyOutage("The delivery ledger", "commands that need it answer that nothing was changed", this.logger, time)
        {
            FailureLevel = LogLevel.Error,
        };
        recordings = new GroupCommit<Recording, bool>(RecordManyAsync, MaxBatch);
    }

    /// <summary>Transactions that recorded keys so far (for tests and diagnostics).</summary>
    public long RecordingBatches => recordings.Batches;

    /// <inheritdoc />
    public string? Location => database.Location;

    /// <inheritdoc />
    public string? Setting => database.Setting;

    /// <inheritdoc />
    public Task MigrateAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask<bool> TryRecordAsync(string key, TimeSpan window, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        bool recorded;
        try
        {
            recorded = await recordings.SubmitAsync(
                new Recording(DeliveryKey.Digest(key), (now + window).ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds()), cancellationToken);
        }
        catch (Exception ex) when (ex is DbException or TimeoutException)
        {
            // Unknown whether the delivery is new: fail closed, so the caller runs nothing and says so.
            var reason = StoreFailure.Reason(ex);
            outage.Failed(reason);
            throw new StoreUnavailableException($"The delivery ledger cannot be used: {reason}.", ex);
        }

        outage.Succeeded();

        if (recorded && purges.TryBegin())
        {
            await PurgeQuietlyAsync(cancellationToken);
        }

        return recorded;
    }

    // One transaction for the batch, one statement per key; no caller's token (see GroupCommit). Keys are written in
    // digest order (arrival order among equal keys), the order the purge locks in too: on PostgreSQL two replicas'
    // batches, or a batch and a purge, then always take row locks in the same order and cannot deadlock.
    private async Task<IReadOnlyList<bool>> RecordManyAsync(IReadOnlyList<Recording> batch)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None);
        await using var command = StoreCommand.Create(connection, RecordSql, ("@key", ""), ("@expires", 0L), ("@now", 0L));
        command.Transaction = transaction;
        var recorded = new bool[batch.Count];
        foreach (var i in Enumerable.Range(0, batch.Count).OrderBy(i => batch[i].Digest, StringComparer.Ordinal))
        {
            command.Parameters[0].Value = batch[i].Digest;
            command.Parameters[1].Value = batch[i].ExpiresAt;
            command.Parameters[2].Value = batch[i].Now;
            recorded[i] = await command.ExecuteScalarAsync(CancellationToken.None) is not null;
        }

        await transaction.CommitAsync(CancellationToken.None);
        return recorded;
    }

    /// <inheritdoc />
    public async ValueTask ForgetAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = StoreCommand.Create(connection, "DELETE FROM delivery_keys WHERE key_digest = @key", ("@key", DeliveryKey.Digest(key)));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // PostgreSQL: lock in digest order, like the recordings (see RecordManyAsync). SQLite has one writer at a time.
        await using var command = StoreCommand.Create(connection, database.Dialect == SqlDialect.Postgres
                ? "DELETE FROM delivery_keys WHERE key_digest IN (SELECT key_digest FROM delivery_keys WHERE expires_at <= @now ORDER BY key_digest FOR UPDATE)"
                : "DELETE FROM delivery_keys WHERE expires_at <= @now",
            ("@now", time.GetUtcNow().ToUnixTimeMilliseconds()));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task PurgeQuietlyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await PurgeExpiredAsync(cancellationToken);
        }
        catch (DbException ex)
        {
            // The delivery was recorded; a purge that fails only leaves old rows for the next one.
            LogPurgeFailed(logger, ex.Message);
        }
    }

    private readonly record struct Recording(string Digest, long ExpiresAt, long Now);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Expired delivery keys could not be purged ({Reason}); the next purge tries again")]
    private static partial void LogPurgeFailed(ILogger logger, string reason);
}
