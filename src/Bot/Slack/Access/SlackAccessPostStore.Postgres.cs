using Npgsql;
using PscaleBot.Bot.Persistence;
using PscaleBot.Bot.Persistence.Migrations;
using PscaleBot.Commands.Access;

namespace PscaleBot.Bot.Slack.Access;

/// <summary>
/// <see cref="ISlackAccessPostStore"/> in the shared PostgreSQL database: the same <c>slack_access_posts</c> table
/// (<see cref="SqliteSlackAccessPostStore.PostgresSchema"/>), so whichever replica settles a request updates the
/// message another replica posted. A save is one upsert, so two replicas saving at once leave one row.
/// </summary>
public sealed class PostgresSlackAccessPostStore(NpgsqlDataSource dataSource, TimeProvider time, ILogger<PostgresSlackAccessPostStore>? logger = null)
    : ISlackAccessPostStore, IMigratingStore
{
    private readonly PostgresDatabase database = new(dataSource, SqliteSlackAccessPostStore.PostgresSchema, time, logger);

    /// <inheritdoc />
    public string? Location => database.Location;

    /// <inheritdoc />
    public string? Setting => database.Setting;

    /// <inheritdoc />
    public Task MigrateAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);

    /// <inheritdoc />
    public async Task SaveAsync(SlackAccessPost post, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            INSERT INTO slack_access_posts (request_id, channel_id, ts, posted_at) VALUES (@id, @channel, @ts, @at)
            ON CONFLICT (request_id) DO UPDATE SET channel_id = excluded.channel_id, ts = excluded.ts, posted_at = excluded.posted_at
            """, connection);
        command.Parameters.AddWithValue("id", post.RequestId);
        command.Parameters.AddWithValue("channel", post.ChannelId);
        command.Parameters.AddWithValue("ts", post.Ts);
        command.Parameters.AddWithValue("at", time.GetUtcNow().ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<SlackAccessPost?> FindAsync(string requestId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT channel_id, ts FROM slack_access_posts WHERE request_id = @id", connection);
        command.Parameters.AddWithValue("id", requestId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new SlackAccessPost(requestId, reader.GetString(0), reader.GetString(1)) : null;
    }

    /// <summary>
    /// The store for <c>Storage:Provider</c>: this one on PostgreSQL, otherwise a table in the access store's SQLite
    /// file (<c>AccessRequests:StorePath</c>).
    /// </summary>
    public static ISlackAccessPostStore ForProvider(IServiceProvider services)
    {
        var time = services.GetRequiredService<TimeProvider>();
        return services.UsesPostgres()
            ? new PostgresSlackAccessPostStore(services.GetRequiredService<NpgsqlDataSource>(), time, services.GetService<ILogger<PostgresSlackAccessPostStore>>())
            : new SqliteSlackAccessPostStore(
                services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AccessRequestOptions>>().Value.StorePath,
                time,
                services.GetService<ILogger<SqliteSlackAccessPostStore>>());
    }
}
