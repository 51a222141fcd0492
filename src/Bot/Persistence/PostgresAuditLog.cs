using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
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
public sealed class PostgresAuditLog(NpgsqlDataSource dataSource, TimeProvider time, ILogger<PostgresAuditLog>? logger = null) : IAuditLog, IMigratingStore
{
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
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var entry in entries)
        {
            var at = entry.Time.ToUniversalTime();
            var command = new NpgsqlBatchCommand("""
                INSERT INTO audit_entries (time_ms, time_utc, platform, place, user_id, command, decision, reason, outcome, request_ids)
                VALUES (@time_ms, @time_utc, @platform, @place, @user_id, @command, @decision, @reason, @outcome, @request_ids)
                """);
            command.Parameters.AddWithValue("time_ms", at.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("time_utc", NpgsqlDbType.TimestampTz, at.UtcDateTime);
            command.Parameters.AddWithValue("platform", AuditText.Scrub(entry.Platform));
            command.Parameters.AddWithValue("place", AuditText.Scrub(entry.Place));
            command.Parameters.AddWithValue("user_id", AuditText.Scrub(entry.UserId));
            command.Parameters.AddWithValue("command", AuditText.Scrub(entry.Command));
            command.Parameters.AddWithValue("decision", AuditText.Scrub(entry.Decision));
            command.Parameters.AddWithValue("reason", NpgsqlDbType.Text, entry.Reason is null ? DBNull.Value : AuditText.Scrub(entry.Reason));
            command.Parameters.AddWithValue("outcome", AuditText.Scrub(entry.Outcome));
            command.Parameters.AddWithValue("request_ids", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(entry.RequestIds.Select(AuditText.Scrub).ToArray()));
            batch.BatchCommands.Add(command);
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
            entries.Add(new AuditEntry(
                new DateTimeOffset(reader.GetFieldValue<DateTime>(0), TimeSpan.Zero),
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
}
