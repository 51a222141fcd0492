using Npgsql;
using PscaleBot.Bot.Persistence;
using PscaleBot.Commands.PlanetScale.Budget;

namespace PscaleBot.Bot.PlanetScale;

/// <summary>
/// The per-credential request log every replica takes slots from: a sliding window of <see cref="Window"/>, as the
/// one-process budget keeps, so whatever window PlanetScale counts in sees no more than the limit. A take runs in one
/// short transaction: it locks the credential's row in <c>planetscale_budget</c> (so concurrent takes on every replica
/// queue behind each other), counts the log's requests in the window, and adds one when
/// <see cref="SharedBudgetRule.Cap"/> leaves room and no pause is running.
/// </summary>
/// <remarks>
/// A log rather than a counter per fixed window: fixed windows let up to twice the limit out in the minute around a
/// boundary, and two replicas measured 112 % of the limit and drew 429s in a revocation storm. The log holds at most
/// about one window of rows per credential (each take prunes what left the window); at PlanetScale's 600 a minute that
/// is ten short transactions a second.
/// </remarks>
public sealed class PostgresBudgetCounter(PostgresDatabase database)
{
    /// <summary>Length of the sliding window: PlanetScale's minute and a second for latency and the replicas' clock skew.</summary>
    public static TimeSpan Window => SlidingWindowRateBudget.Window;

    /// <summary>How long past its retry time a refused user's call still holds revocations back (it must get to retry).</summary>
    public static readonly TimeSpan UsersWaitingGrace = TimeSpan.FromSeconds(2);

    private const string LockSql = """
        INSERT INTO planetscale_budget AS b (credential_key, used, paused_until_ms, users_waiting_until_ms)
        VALUES (@key, 0, 0, 0)
        ON CONFLICT (credential_key) DO UPDATE SET used = b.used
        RETURNING paused_until_ms, users_waiting_until_ms
        """;

    // Its own statement after the lock: under READ COMMITTED it sees every take committed before the lock was ours.
    private const string CountSql = """
        SELECT count(*)::integer, (count(*) FILTER (WHERE priority <> 0))::integer
        FROM planetscale_budget_log WHERE credential_key = @key AND taken_ms > @since
        """;

    // A take writes the request, prunes what left the window, and keeps the count on the row for operators.
    private const string LogSql = "INSERT INTO planetscale_budget_log (credential_key, taken_ms, priority) VALUES (@key, @now, @priority)";

    private const string PruneSql = "DELETE FROM planetscale_budget_log WHERE credential_key = @key AND taken_ms <= @since";

    private const string UsedSql = "UPDATE planetscale_budget SET used = @used WHERE credential_key = @key";

    // The window has room for `cap` once its cap-th newest request has left it.
    private const string RoomSql = """
        SELECT taken_ms FROM planetscale_budget_log WHERE credential_key = @key AND taken_ms > @since
        ORDER BY taken_ms DESC OFFSET @skip LIMIT 1
        """;

    private const string UsersWaitSql = """
        UPDATE planetscale_budget SET users_waiting_until_ms = GREATEST(users_waiting_until_ms, @until) WHERE credential_key = @key
        """;

    private const string PauseSql = """
        INSERT INTO planetscale_budget AS b (credential_key, used, paused_until_ms)
        VALUES (@key, 0, @until)
        ON CONFLICT (credential_key) DO UPDATE SET paused_until_ms = GREATEST(b.paused_until_ms, @until)
        """;

    /// <summary>Where the log lives (<c>host:port/database</c>), for log lines.</summary>
    public string? Location => database.Location;

    /// <summary>Creates the tables when they are missing (at start-up, through <see cref="SharedRateBudget"/>).</summary>
    public Task MigrateAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);

    /// <summary>Takes one slot of <paramref name="credential"/>'s window at <paramref name="now"/> when <paramref name="rule"/> leaves room for <paramref name="priority"/>.</summary>
    public async Task<BudgetTake> TakeAsync(string credential, PlanetScaleCallPriority priority, SharedBudgetRule rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var nowMs = now.ToUnixTimeMilliseconds();
        var since = nowMs - (long)Window.TotalMilliseconds;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long pausedUntil, usersWaitingUntil;
        int used, users;
        await using (var look = new NpgsqlBatch(connection, transaction))
        {
            look.BatchCommands.Add(Command(LockSql, credential));
            look.BatchCommands.Add(Command(CountSql, credential, ("since", since)));
            await using var reader = await look.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            (pausedUntil, usersWaitingUntil) = (reader.GetInt64(0), reader.GetInt64(1));
            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            (used, users) = (reader.GetInt32(0), reader.GetInt32(1));
        }

        var forUsers = priority != PlanetScaleCallPriority.Revocation;
        var cap = rule.Cap(priority, users, usersWaitingUntil > nowMs);
        var paused = DateTimeOffset.FromUnixTimeMilliseconds(pausedUntil);
        BudgetTake result;
        if (pausedUntil <= nowMs && used < cap)
        {
            await using var take = new NpgsqlBatch(connection, transaction);
            take.BatchCommands.Add(Command(LogSql, credential, ("now", nowMs), ("priority", (int)priority)));
            take.BatchCommands.Add(Command(PruneSql, credential, ("since", since)));
            take.BatchCommands.Add(Command(UsedSql, credential, ("used", used + 1)));

            await take.ExecuteNonQueryAsync(cancellationToken);
            result = new BudgetTake(true, used + 1, users + (forUsers ? 1 : 0), now, paused);
        }
        else
        {
            var retryAt = pausedUntil > nowMs ? paused : await RoomAtAsync(connection, transaction, credential, since, cap, now, cancellationToken);
            if (forUsers)
            {
                await using var wait = new NpgsqlCommand(UsersWaitSql, connection, transaction);
                wait.Parameters.AddWithValue("key", credential);
                wait.Parameters.AddWithValue("until", (retryAt + UsersWaitingGrace).ToUnixTimeMilliseconds());
                await wait.ExecuteNonQueryAsync(cancellationToken);
            }

            result = new BudgetTake(false, used, users, retryAt, paused);
        }

        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>Pauses <paramref name="credential"/> on every replica until <paramref name="until"/> (never shortens a longer pause).</summary>
    public async Task PauseAsync(string credential, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var pause = new NpgsqlCommand(PauseSql, connection);
        pause.Parameters.AddWithValue("key", credential);
        pause.Parameters.AddWithValue("until", until.ToUnixTimeMilliseconds());
        await pause.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<DateTimeOffset> RoomAtAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string credential, long since, int cap, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var room = new NpgsqlCommand(RoomSql, connection, transaction);
        room.Parameters.AddWithValue("key", credential);
        room.Parameters.AddWithValue("since", since);
        room.Parameters.AddWithValue("skip", Math.Max(cap - 1, 0));
        // Always found while the row lock is held (the window holds at least cap requests); a second is a safe guess if not.
        return await room.ExecuteScalarAsync(cancellationToken) is long taken
            ? DateTimeOffset.FromUnixTimeMilliseconds(taken) + Window
            : now + TimeSpan.FromSeconds(1);
    }

    private static NpgsqlBatchCommand Command(string sql, string credential, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddWithValue("key", credential);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
