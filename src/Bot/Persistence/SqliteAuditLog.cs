using System.Globalization;
using System.Text.Json;
using PscaleBot.Bot.AuditExport;
using PscaleBot.Bot.Persistence.Migrations;
using PscaleBot.Commands.Audit;

namespace PscaleBot.Bot.Persistence;

/// <summary>
/// The audit log in a SQLite file: append-only, WAL journal, parameterised SQL, schema migrated by
/// <see cref="SqliteDatabase"/> (<see cref="AuditSchema"/>), request ids stored as a JSON array, entries
/// indexed by time. Every text field is scrubbed of <c>pscale_tkn_…</c> values once more before it is
/// written, whatever the caller already redacted.
/// </summary>
/// <remarks>
/// <see cref="PostgresAuditLog"/> is the same log on PostgreSQL; <see cref="AuditExtensions.AddAudit"/> chooses by
/// <c>Storage:Provider</c>. Writes from this process go one transaction at a time (SQLite has a single writer;
/// <see cref="GroupCommitAuditLog"/> puts concurrent appends into one); other processes on the same file wait through
/// SQLite's busy timeout.
/// </remarks>
public sealed class SqliteAuditLog : IAuditLog, IAuditChainStore, IAuditExportCursor, IMigratingStore, IDisposable
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    // The columns an append writes, in the order AppendManyAsync gives their values.
    private static readonly string[] Columns =
        ["time_ms", "time_utc", "platform", "place", "user_id", "command", "decision", "reason", "outcome", "request_ids", "prev_hash", "row_hash"];

    private static readonly string InsertSql =
        $"INSERT INTO audit_entries ({string.Join(", ", Columns)}) VALUES ({string.Join(", ", Columns.Select(c => "$" + c))})";

    private readonly SqliteDatabase database;
    private readonly TimeProvider time;
    private readonly SemaphoreSlim writeGate = new(1, 1);

    /// <summary>Opens (and on first use creates) the log in <paramref name="databasePath"/>.</summary>
    public SqliteAuditLog(string databasePath, TimeProvider time, ILogger<SqliteAuditLog> logger)
    {
        database = new SqliteDatabase(databasePath, AuditSchema.Sqlite, time, logger);
        this.time = time;
    }

    /// <summary>The full path of the SQLite file.</summary>
    public string DatabasePath => database.Path;

    /// <inheritdoc />
    public string? Location => DatabasePath;

    /// <summary>The schema version this code writes.</summary>
    public static int SchemaVersion => AuditSchema.Sqlite.LatestVersion;

    /// <inheritdoc />
    public Task MigrateAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);

    /// <inheritdoc />
    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken) => AppendManyAsync([entry], cancellationToken);

    /// <summary>
    /// Inserts <paramref name="entries"/> in one transaction: one commit and, in WAL mode with SQLite's default
    /// <c>synchronous=FULL</c>, one flush of the WAL to disk for the whole batch. When this returns every row is
    /// durable; a process killed before <c>COMMIT</c> leaves none of them (recovery ignores WAL frames without a
    /// commit record).
    /// </summary>
    public async Task AppendManyAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        await writeGate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var transaction = (Microsoft.Data.Sqlite.SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            // BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default) took the write lock: no other writer, in this process or
            // another, can move the chain's head until COMMIT.
            var previous = await ChainHeadAsync(connection, transaction, cancellationToken);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = InsertSql;
            // One set of parameters for the batch, given each row's values in turn (as the delivery ledger does).
            var parameters = Columns.Select(column => command.Parameters.AddWithValue("$" + column, DBNull.Value)).ToArray();
            foreach (var entry in entries.Select(AuditText.Stored))
            {
                var rowHash = AuditRowHash.Compute(entry, previous);
                object[] values =
                [
                    entry.Time.ToUnixTimeMilliseconds(),
                    entry.Time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture),
                    entry.Platform, entry.Place, entry.UserId, entry.Command, entry.Decision,
                    entry.Reason is null ? DBNull.Value : entry.Reason,
                    entry.Outcome,
                    JsonSerializer.Serialize(entry.RequestIds, AuditJsonContext.Default.IReadOnlyListString),
                    previous, rowHash,
                ];
                for (var i = 0; i < values.Length; i++)
                {
                    parameters[i].Value = values[i];
                }

                await command.ExecuteNonQueryAsync(cancellationToken);
                previous = rowHash;
            }

            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            writeGate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditEntry>> RecentAsync(int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return [];
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT time_utc, platform, place, user_id, command, decision, reason, outcome, request_ids
            FROM audit_entries
            ORDER BY time_ms DESC, id DESC
            LIMIT $limit
            """;
        command.Parameters.AddWithValue("$limit", limit);
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
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT time_utc, platform, place, user_id, command, decision, reason, outcome, request_ids, id, time_ms, prev_hash, row_hash
            FROM audit_entries
            WHERE id > $after
            ORDER BY id
            LIMIT $limit
            """;
        command.Parameters.AddWithValue("$after", afterId);
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ChainedAuditRowReader.ReadAllAsync(reader, Read, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<long> ReadCursorAsync(string sink, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT last_id FROM audit_export_cursor WHERE sink = $sink";
        command.Parameters.AddWithValue("$sink", sink);
        return await command.ExecuteScalarAsync(cancellationToken) is long id ? id : 0;
    }

    /// <inheritdoc />
    public async Task SaveCursorAsync(string sink, long lastId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO audit_export_cursor (sink, last_id, updated_utc) VALUES ($sink, $last_id, $updated)
            ON CONFLICT (sink) DO UPDATE SET last_id = excluded.last_id, updated_utc = excluded.updated_utc
            WHERE excluded.last_id > audit_export_cursor.last_id
            """;
        command.Parameters.AddWithValue("$sink", sink);
        command.Parameters.AddWithValue("$last_id", lastId);
        command.Parameters.AddWithValue("$updated", time.GetUtcNow().UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<string> ChainHeadAsync(Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var head = connection.CreateCommand();
        head.Transaction = transaction;
        head.CommandText = "SELECT row_hash FROM audit_entries WHERE row_hash IS NOT NULL ORDER BY id DESC LIMIT 1";
        return await head.ExecuteScalarAsync(cancellationToken) as string ?? AuditRowHash.Genesis;
    }

    private static AuditEntry Read(Microsoft.Data.Sqlite.SqliteDataReader reader)
    {
        var time = DateTime.ParseExact(reader.GetString(0), TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        return new AuditEntry(
            new DateTimeOffset(time, TimeSpan.Zero),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetString(3),
            reader.GetString(4),
            reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.GetString(7),
            JsonSerializer.Deserialize(reader.GetString(8), AuditJsonContext.Default.StringArray) ?? []);
    }

    /// <summary>Releases the pooled connections, so the file can be moved or deleted.</summary>
    public void Dispose()
    {
        database.Dispose();
        writeGate.Dispose();
    }
}
