using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using PscaleBot.Bot.AuditExport;
using PscaleBot.Bot.Persistence.Migrations;
using PscaleBot.Commands.Audit;

namespace PscaleBot.Bot.Persistence;

/// <summary>
/// The audit log in the shared PostgreSQL database (<see cref="AuditSchema.Postgres"/>): append-only, one
/// parameterised INSERT per entry, <c>time_utc</c> as <c>timestamptz</c> (microseconds: PostgreSQL keeps no finer),
/// request ids as <c>jsonb</c>, ordered by <c>time_ms</c> then the identity key. Replicas append concurrently; the
/// identity key orders entries of the same millisecond by commit of their insert. Text is scrubbed of
/// <c>pscale_tkn_…</c> values before it is written, like <see cref="SqliteAuditLog"/>.
/// </summary>
public sealed class PostgresAuditLog(NpgsqlDataSource dataSource, TimeProvider time, ILogger<PostgresAuditLog>? logger = null) : IAuditLog, IAuditChainStore, IAuditExportCursor, IMigratingStore
{
    /// <summary>The advisory lock every replica takes to move the chain's head (arbitrary, fixed, unlikely to collide).</summary>
    private const long ChainLockKey = 0x7073_6361_6c65_6175;

    private readonly PostgresDatabase database = new(dataSource, AuditSchema.Postgres, time, logger);

    /// <inheritdoc />
    public string? Location => database.Location;

    /// <inheritdoc />
    public string? Setting => database.Setting;

    /// <inheritdoc />
    public Task MigrateAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);

    /// <inheritdoc />
    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken) => AppendManyAsync([entry], cancellationToken);

    /// <summary>
    /// Inserts <paramref name="entries"/> in one transaction (one WAL flush for the batch). When this returns every row
    /// is committed; when it throws, none is (the transaction rolls back), so a caller is never told a row is durable
    /// that is not.
    /// </summary>
    public async Task AppendManyAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var previous = await ChainHeadAsync(connection, transaction, cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var entry in entries.Select(AuditText.Stored))
        {
            var rowHash = AuditRowHash.Compute(entry, previous);
            var command = new NpgsqlBatchCommand("""
                INSERT INTO audit_entries (time_ms, time_utc, platform, place, user_id, command, decision, reason, outcome, request_ids, prev_hash, row_hash)
                VALUES (@time_ms, @time_utc, @platform, @place, @user_id, @command, @decision, @reason, @outcome, @request_ids, @prev_hash, @row_hash)
                """);
            command.Parameters.AddWithValue("time_ms", entry.Time.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("time_utc", NpgsqlDbType.TimestampTz, entry.Time.UtcDateTime);
            command.Parameters.AddWithValue("platform", entry.Platform);
            command.Parameters.AddWithValue("place", entry.Place);
            command.Parameters.AddWithValue("user_id", entry.UserId);
            command.Parameters.AddWithValue("command", entry.Command);
            command.Parameters.AddWithValue("decision", entry.Decision);
            command.Parameters.AddWithValue("reason", NpgsqlDbType.Text, entry.Reason is null ? DBNull.Value : entry.Reason);
            command.Parameters.AddWithValue("outcome", entry.Outcome);
            command.Parameters.AddWithValue("request_ids", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(entry.RequestIds, AuditJsonContext.Default.IReadOnlyListString));
            command.Parameters.AddWithValue("prev_hash", previous);
            command.Parameters.AddWithValue("row_hash", rowHash);
            batch.BatchCommands.Add(command);
            previous = rowHash;
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditEntry>> RecentAsync(int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return [];
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT time_utc, platform, place, user_id, command, decision, reason, outcome, request_ids::text
            FROM audit_entries
            ORDER BY time_ms DESC, id DESC
            LIMIT @limit
            """, connection);
        command.Parameters.AddWithValue("limit", limit);
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(Read(reader));
        }

        return entries;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ChainedAuditRow>> ReadAfterAsync(long afterId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT time_utc, platform, place, user_id, command, decision, reason, outcome, request_ids::text, id, time_ms, prev_hash, row_hash
            FROM audit_entries
            WHERE id > @after
            ORDER BY id
            LIMIT @limit
            """, connection);
        command.Parameters.AddWithValue("after", afterId);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ChainedAuditRowReader.ReadAllAsync(reader, Read, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<long> ReadCursorAsync(string sink, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT last_id FROM audit_export_cursor WHERE sink = @sink", connection);
        command.Parameters.AddWithValue("sink", sink);
        return await command.ExecuteScalarAsync(cancellationToken) is long id ? id : 0;
    }

    /// <inheritdoc />
    public async Task SaveCursorAsync(string sink, long lastId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            INSERT INTO audit_export_cursor (sink, last_id, updated_utc) VALUES (@sink, @last_id, @updated)
            ON CONFLICT (sink) DO UPDATE SET last_id = excluded.last_id, updated_utc = excluded.updated_utc
            WHERE excluded.last_id > audit_export_cursor.last_id
            """, connection);
        command.Parameters.AddWithValue("sink", sink);
        command.Parameters.AddWithValue("last_id", lastId);
        command.Parameters.AddWithValue("updated", NpgsqlDbType.TimestampTz, time.GetUtcNow().UtcDateTime);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The newest row's hash, under a transaction-scoped advisory lock: every replica appending takes the same lock
    /// before reading the head and holds it to COMMIT, so two batches never chain to the same row, and identity values
    /// (taken at insert, under the lock) follow the chain's order.
    /// </summary>
    private static async Task<string> ChainHeadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var head = new NpgsqlCommand("""
            SELECT pg_advisory_xact_lock(@lock);
            SELECT row_hash FROM audit_entries WHERE row_hash IS NOT NULL ORDER BY id DESC LIMIT 1;
            """, connection, transaction);
        head.Parameters.AddWithValue("lock", ChainLockKey);
        await using var reader = await head.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? reader.GetString(0) : AuditRowHash.Genesis;
    }

    private static AuditEntry Read(NpgsqlDataReader reader) => new(
        new DateTimeOffset(reader.GetFieldValue<DateTime>(0), TimeSpan.Zero),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.GetString(5),
        reader.IsDBNull(6) ? null : reader.GetString(6),
        reader.GetString(7),
        JsonSerializer.Deserialize(reader.GetString(8), AuditJsonContext.Default.StringArray) ?? []);
}
