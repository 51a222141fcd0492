using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using PscaleBot.Commands.Audit;

namespace PscaleBot.Bot.Persistence;

/// <summary>
/// The audit log in a SQLite file: append-only, WAL journal, parameterised SQL, schema created and
/// migrated on first use (<c>schema_version</c> table), request ids stored as a JSON array, entries
/// indexed by time. Every text field is scrubbed of <c>pscale_tkn_…</c> values once more before it is
/// written, whatever the caller already redacted.
/// </summary>
/// <remarks>
/// The boundary for another store is <see cref="IAuditLog"/>: a PostgreSQL store would implement it with
/// the same columns (<c>time timestamptz</c>, <c>request_ids jsonb</c>) and <see cref="AuditExtensions.AddAudit"/>
/// would choose it from configuration. Writes from this process go one at a time (SQLite has a single writer);
/// other processes on the same file wait through SQLite's busy timeout.
/// </remarks>
public sealed partial class SqliteAuditLog : IAuditLog, IDisposable
{
    // Each entry is one schema version; never edit an applied one, append a new one.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE audit_entries (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            time_ms     INTEGER NOT NULL,
            time_utc    TEXT    NOT NULL,
            platform    TEXT    NOT NULL,
            place       TEXT    NOT NULL,
            user_id     TEXT    NOT NULL,
            command     TEXT    NOT NULL,
            decision    TEXT    NOT NULL,
            reason      TEXT,
            outcome     TEXT    NOT NULL,
            request_ids TEXT    NOT NULL
        );
        CREATE INDEX ix_audit_entries_time ON audit_entries (time_ms);
        """,
    ];

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    private readonly string connectionString;
    private readonly SemaphoreSlim writeGate = new(1, 1);
    private readonly SemaphoreSlim schemaGate = new(1, 1);
    private readonly TimeProvider time;
    private readonly ILogger<SqliteAuditLog> logger;
    private volatile bool schemaReady;

    /// <summary>Opens (and on first use creates) the log in <paramref name="databasePath"/>.</summary>
    public SqliteAuditLog(string databasePath, TimeProvider time, ILogger<SqliteAuditLog> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        this.time = time;
        this.logger = logger;
        DatabasePath = Path.GetFullPath(databasePath);
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>The full path of the SQLite file.</summary>
    public string DatabasePath { get; }

    /// <summary>The schema version this code writes.</summary>
    public static int SchemaVersion => Migrations.Length;

    /// <inheritdoc />
    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        await writeGate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO audit_entries (time_ms, time_utc, platform, place, user_id, command, decision, reason, outcome, request_ids)
                VALUES ($time_ms, $time_utc, $platform, $place, $user_id, $command, $decision, $reason, $outcome, $request_ids)
                """;
            var time = entry.Time.ToUniversalTime();
            command.Parameters.AddWithValue("$time_ms", time.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$time_utc", time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$platform", Scrub(entry.Platform));
            command.Parameters.AddWithValue("$place", Scrub(entry.Place));
            command.Parameters.AddWithValue("$user_id", Scrub(entry.UserId));
            command.Parameters.AddWithValue("$command", Scrub(entry.Command));
            command.Parameters.AddWithValue("$decision", Scrub(entry.Decision));
            command.Parameters.AddWithValue("$reason", entry.Reason is null ? DBNull.Value : Scrub(entry.Reason));
            command.Parameters.AddWithValue("$outcome", Scrub(entry.Outcome));
            command.Parameters.AddWithValue("$request_ids", JsonSerializer.Serialize(entry.RequestIds.Select(Scrub).ToArray()));
            await command.ExecuteNonQueryAsync(cancellationToken);
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

        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
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
        using var connection = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(connection);
        writeGate.Dispose();
        schemaGate.Dispose();
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (schemaReady)
        {
            return;
        }

        await schemaGate.WaitAsync(cancellationToken);
        try
        {
            if (schemaReady)
            {
                return;
            }

            var folder = Path.GetDirectoryName(DatabasePath);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            await using var connection = await OpenAsync(cancellationToken);
            await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL;", cancellationToken);
            await ExecuteAsync(connection, null, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL);", cancellationToken);

            // BEGIN IMMEDIATE: two processes starting together apply each migration once.
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            var current = Convert.ToInt32(await ScalarAsync(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_version;", cancellationToken), CultureInfo.InvariantCulture);
            if (current > Migrations.Length)
            {
                throw new InvalidOperationException(
                    $"The audit database {DatabasePath} has schema version {current}, newer than this bot's {Migrations.Length}; use a newer bot or another Audit:Path.");
            }

            for (var version = current + 1; version <= Migrations.Length; version++)
            {
                await ExecuteAsync(connection, transaction, Migrations[version - 1], cancellationToken);
                await using var record = connection.CreateCommand();
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES ($version, $applied_at);";
                record.Parameters.AddWithValue("$version", version);
                record.Parameters.AddWithValue("$applied_at", time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
                await record.ExecuteNonQueryAsync(cancellationToken);
                LogMigrated(DatabasePath, version);
            }

            await transaction.CommitAsync(cancellationToken);
            schemaReady = true;
        }
        finally
        {
            schemaGate.Release();
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static string Scrub(string text) => SecretPattern().Replace(text, "pscale_tkn_[REDACTED]");

    [GeneratedRegex(@"pscale_tkn_(?!\[REDACTED\])[A-Za-z0-9_\-]+", RegexOptions.CultureInvariant)]
    private static partial Regex SecretPattern();

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit database {Path} migrated to schema version {Version}")]
    private partial void LogMigrated(string path, int version);
}
