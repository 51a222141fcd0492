using Microsoft.Data.Sqlite;
using PscaleBot.Bot.Persistence;
using PscaleBot.Bot.Persistence.Migrations;

namespace PscaleBot.Bot.Slack.Access;

/// <summary>Where the approvers' message of an access request was posted, so its buttons can be replaced later.</summary>
/// <param name="RequestId">The access request (<c>r-7kq2</c>).</param>
/// <param name="ChannelId">The Slack channel (C…).</param>
/// <param name="Ts">The message's timestamp, as <c>chat.update</c> needs it.</param>
public sealed record SlackAccessPost(string RequestId, string ChannelId, string Ts);

/// <summary>Remembers the approvers' message of each access request (request id → channel and <c>ts</c>).</summary>
public interface ISlackAccessPostStore
{
    /// <summary>Records (or replaces) where the request's message is.</summary>
    Task SaveAsync(SlackAccessPost post, CancellationToken cancellationToken);

    /// <summary>Where the request's message is, or null when it was never posted.</summary>
    Task<SlackAccessPost?> FindAsync(string requestId, CancellationToken cancellationToken);
}

/// <summary>
/// <see cref="ISlackAccessPostStore"/> as one small table, <c>slack_access_posts(request_id PRIMARY KEY, channel_id,
/// ts, posted_at)</c>, in the access store's SQLite file: the access domain has no place for chat message
/// references, and keeping them beside the requests means a restart still updates the right message.
/// </summary>
public sealed class SqliteSlackAccessPostStore : ISlackAccessPostStore, IMigratingStore, IDisposable
{
    /// <summary>Migration 1 is the table as the first bots created it.</summary>
    public static StoreSchema SqliteSchema { get; } = new(
        "slack_access_posts",
        new SchemaMigration(1, "slack access posts", """
            CREATE TABLE IF NOT EXISTS slack_access_posts (
                request_id TEXT PRIMARY KEY,
                channel_id TEXT NOT NULL,
                ts TEXT NOT NULL,
                posted_at INTEGER NOT NULL)
            """));

    /// <summary>The same table on PostgreSQL (times as Unix milliseconds, as in SQLite).</summary>
    public static StoreSchema PostgresSchema { get; } = new(
        "slack_access_posts",
        new SchemaMigration(1, "slack access posts", """
            CREATE TABLE IF NOT EXISTS slack_access_posts (
                request_id text PRIMARY KEY,
                channel_id text NOT NULL,
                ts text NOT NULL,
                posted_at bigint NOT NULL)
            """));

    /// <summary>Both engines' steps, kept in step.</summary>
    public static EngineSchemas Engines { get; } = new(SqliteSchema, PostgresSchema);

    private readonly SqliteDatabase database;
    private readonly TimeProvider time;

    /// <summary>Uses (and creates on first use) the table in the SQLite file at <paramref name="path"/>.</summary>
    public SqliteSlackAccessPostStore(string path, TimeProvider time, ILogger<SqliteSlackAccessPostStore>? logger = null)
    {
        database = new SqliteDatabase(path, SqliteSchema, time, logger);
        this.time = time;
    }

    /// <inheritdoc />
    public Task MigrateAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);

    /// <summary>Releases the pooled connections.</summary>
    public void Dispose() => database.Dispose();

    /// <inheritdoc />
    public async Task SaveAsync(SlackAccessPost post, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO slack_access_posts (request_id, channel_id, ts, posted_at) VALUES ($id, $channel, $ts, $at)
            ON CONFLICT (request_id) DO UPDATE SET channel_id = excluded.channel_id, ts = excluded.ts, posted_at = excluded.posted_at
            """;
        command.Parameters.AddWithValue("$id", post.RequestId);
        command.Parameters.AddWithValue("$channel", post.ChannelId);
        command.Parameters.AddWithValue("$ts", post.Ts);
        command.Parameters.AddWithValue("$at", time.GetUtcNow().ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<SlackAccessPost?> FindAsync(string requestId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT channel_id, ts FROM slack_access_posts WHERE request_id = $id";
        command.Parameters.AddWithValue("$id", requestId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new SlackAccessPost(requestId, reader.GetString(0), reader.GetString(1)) : null;
    }

    private Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => database.OpenAsync(cancellationToken);
}
