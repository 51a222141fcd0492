using Npgsql;
using PscaleBot.Bot.Persistence;

namespace PscaleBot.Bot.PlanetScale;

/// <summary>
/// The per-credential request counter every replica takes slots from, one row in <c>planetscale_budget</c>. A take is
/// one atomic upsert: it starts a new window or adds one to the current one, only while the window has room for the
/// caller's share and no pause is running; PostgreSQL's row lock orders concurrent takes, so the replicas together never
/// pass the share.
/// </summary>
/// <remarks>
/// Fixed windows, not a sliding log: a single row and a single statement per request, where a log would write and
/// prune a row per request. The cost is that up to twice the limit can go out in the minute around a window boundary;
/// the window is 61 s (PlanetScale counts 600 per minute) to absorb clock skew, and should PlanetScale still answer 429,
/// its Retry-After pauses every replica through the same row.
/// </remarks>
public sealed class PostgresBudgetCounter(PostgresDatabase database)
{
    /// <summary>Length of one window; a second over PlanetScale's minute for latency and skew between the replicas' clocks.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(61);

    private const string TakeSql = """
        INSERT INTO planetscale_budget AS b (credential_key, window_start_ms, used, paused_until_ms)
        VALUES (@key, @window, 1, 0)
        ON CONFLICT (credential_key) DO UPDATE SET
            used = CASE WHEN b.window_start_ms < @window THEN 1 ELSE b.used + 1 END,
            window_start_ms = GREATEST(b.window_start_ms, @window)
        WHERE b.paused_until_ms <= @now AND (b.window_start_ms < @window OR b.used < @share)
        RETURNING used, window_start_ms, paused_until_ms
        """;

    private const string ReadSql = "SELECT used, window_start_ms, paused_until_ms FROM planetscale_budget WHERE credential_key = @key";

    private const string PauseSql = """
        INSERT INTO planetscale_budget AS b (credential_key, window_start_ms, used, paused_until_ms)
        VALUES (@key, @window, 0, @until)
        ON CONFLICT (credential_key) DO UPDATE SET paused_until_ms = GREATEST(b.paused_until_ms, @until)
        """;

    /// <summary>Where the counter lives (<c>host:port/database</c>), for log lines.</summary>
    public string? Location => database.Location;

    /// <summary>Creates the table when it is missing (at start-up, through <see cref="SharedRateBudget"/>).</summary>
    public Task MigrateAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);

    /// <summary>The start of the window <paramref name="now"/> falls in.</summary>
    public static DateTimeOffset WindowOf(DateTimeOffset now)
    {
        var ms = now.ToUnixTimeMilliseconds();
        var length = (long)Window.TotalMilliseconds;
        return DateTimeOffset.FromUnixTimeMilliseconds(ms - (((ms % length) + length) % length));
    }

    /// <summary>Takes one slot of <paramref name="credential"/>'s window at <paramref name="now"/> when fewer than <paramref name="share"/> are taken.</summary>
    public async Task<BudgetTake> TakeAsync(string credential, int share, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using (var take = new NpgsqlCommand(TakeSql, connection))
        {
            take.Parameters.AddWithValue("key", credential);
            take.Parameters.AddWithValue("window", WindowOf(now).ToUnixTimeMilliseconds());
            take.Parameters.AddWithValue("now", now.ToUnixTimeMilliseconds());
            take.Parameters.AddWithValue("share", share);
            if (await ReadAsync(take, granted: true, cancellationToken) is { } taken)
            {
                return taken;
            }
        }

        await using var read = new NpgsqlCommand(ReadSql, connection);
        read.Parameters.AddWithValue("key", credential);
        return await ReadAsync(read, granted: false, cancellationToken)
            ?? new BudgetTake(false, 0, WindowOf(now), DateTimeOffset.MinValue);
    }

    /// <summary>Pauses <paramref name="credential"/> on every replica until <paramref name="until"/> (never shortens a longer pause).</summary>
    public async Task PauseAsync(string credential, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var pause = new NpgsqlCommand(PauseSql, connection);
        pause.Parameters.AddWithValue("key", credential);
        pause.Parameters.AddWithValue("window", WindowOf(now).ToUnixTimeMilliseconds());
        pause.Parameters.AddWithValue("until", until.ToUnixTimeMilliseconds());
        await pause.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<BudgetTake?> ReadAsync(NpgsqlCommand command, bool granted, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new BudgetTake(
            granted,
            reader.GetInt32(0),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)));
    }
}
