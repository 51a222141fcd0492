using System.Globalization;
using System.Text.Json;
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
public sealed class SqliteAuditLog : IAuditLog, IMigratingStore, IDisposable
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    private readonly SqliteDatabase database;
    private readonly SemaphoreSlim writeGate = new(1, 1);

    /// <summary>Opens (and on first use creates) the log in <paramref name="databasePath"/>.</summary>
    public SqliteAuditLog(string databasePath, TimeProvider time, ILogger<SqliteAuditLog> logger)
    {
        database = new SqliteDatabase(databasePath, AuditSchema.Sqlite, time, logger);
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
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO audit_entries (time_ms, time_utc, platform, place, user_id, command, decision, reason, outcome, request_ids)
                VALUES ($time_ms, $time_utc, $platform, $place, $user_id, $command, $decision, $reason, $outcome, $request_ids)
                """;
            foreach (var entry in entries)
            {
                var time = entry.Time.ToUniversalTime();
                command.Parameters.Clear();
                command.Parameters.AddWithValue("$time_ms", time.ToUnixTimeMilliseconds());
                command.Parameters.AddWithValue("$time_utc", time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
                command.Parameters.AddWithValue("$platform", AuditText.Scrub(entry.Platform));
                command.Parameters.AddWithValue("$place", AuditText.Scrub(entry.Place));
                command.Parameters.AddWithValue("$user_id", AuditText.Scrub(entry.UserId));
                command.Parameters.AddWithValue("$command", AuditText.Scrub(entry.Command));
                command.Parameters.AddWithValue("$decision", AuditText.Scrub(entry.Decision));
                command.Parameters.AddWithValue("$reason", entry.Reason is null ? DBNull.Value : AuditText.Scrub(entry.Reason));
                command.Parameters.AddWithValue("$outcome", AuditText.Scrub(entry.Outcome));
                command.Parameters.AddWithValue("$request_ids", JsonSerializer.Serialize(entry.RequestIds.Select(AuditText.Scrub).ToArray()));
                await command.ExecuteNonQueryAsync(cancellationToken);
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
            var time = DateTime.ParseExact(reader.GetString(0), TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            entries.Add(new AuditEntry(
                new DateTimeOffset(time, TimeSpan.Zero),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetString(7),
                JsonSerializer.Deserialize<string[]>(reader.GetString(8)) ?? []));
        }

        return entries;
    }

    /// <summary>Releases the pooled connections, so the file can be moved or deleted.</summary>
    public void Dispose()
    {
        database.Dispose();
        writeGate.Dispose();
    }
}
