using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using PscaleBot.Bot.Persistence;
using PscaleBot.Bot.Persistence.Migrations;
using PscaleBot.Commands.Access;

namespace PscaleBot.Bot.Access;

/// <summary>
/// <see cref="IAccessStore"/> in the shared PostgreSQL database, for several replicas (<see cref="AccessSchema.Postgres"/>:
/// the same tables and columns as <see cref="SqliteAccessStore"/>, <c>data</c> as <c>jsonb</c>, times as Unix milliseconds).
/// <para>
/// Why it is safe across replicas: every update is one <c>UPDATE … WHERE id = @id AND version = @expected</c>. Under
/// READ COMMITTED a concurrent update of the same row waits for the first one's commit and then re-checks the WHERE
/// against the committed row, so of N replicas holding the same version exactly one affects a row; the others get 0
/// and reload. Settling a request with its grant, and ending a grant with its heirs, run in one transaction that rolls
/// back when any compare-and-set loses. A revoke claim is one conditional <c>UPDATE … RETURNING</c>: free, lapsed
/// (the lease, <see cref="RevokeClaim.Until"/>, so a dead replica's claims are taken over when it ends), ours, or left
/// by an earlier dead run of our instance; the row lock makes it atomic.
/// </para>
/// </summary>
public sealed class PostgresAccessStore(NpgsqlDataSource dataSource, TimeProvider? time = null, ILogger<PostgresAccessStore>? logger = null)
    : IAccessStore, IMigratingStore
{
    private const string GrantColumns = "version, claimed_by, claimed_started_at, claimed_until, data::text";
    private readonly PostgresDatabase database = new(dataSource, AccessSchema.Postgres, time, logger);

    /// <inheritdoc />
    public string? Location => database.Location;

    /// <inheritdoc />
    public string? Setting => database.Setting;

    /// <inheritdoc />
    public Task MigrateAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<bool> IdExistsAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT EXISTS(SELECT 1 FROM access_requests WHERE id = @id) OR EXISTS(SELECT 1 FROM access_grants WHERE id = @id)", connection);
        command.Parameters.AddWithValue("id", id);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <inheritdoc />
    public async Task InsertRequestAsync(AccessRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await InsertRequestAsync(connection, null, request, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<AccessRequest?> GetRequestAsync(string id, CancellationToken cancellationToken)
    {
        var found = await QueryRequestsAsync("WHERE id = @id", cancellationToken, ("id", id));
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc />
    public async Task<bool> TryUpdateRequestAsync(AccessRequest request, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await UpdateRequestAsync(connection, null, request, expectedVersion, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AccessRequest>> ListPendingRequestsAsync(CancellationToken cancellationToken) =>
        QueryRequestsAsync("WHERE state = 'Pending' ORDER BY created_at, id", cancellationToken);

    /// <inheritdoc />
    public async Task InsertGrantAsync(AccessGrant grant, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await InsertGrantAsync(connection, null, grant, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> TrySettleRequestWithGrantAsync(AccessRequest request, long expectedRequestVersion, AccessGrant grant, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await UpdateRequestAsync(connection, transaction, request, expectedRequestVersion, cancellationToken))
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }

        await InsertGrantAsync(connection, transaction, grant, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <inheritdoc />
    public async Task<AccessGrant?> GetGrantAsync(string id, CancellationToken cancellationToken)
    {
        var found = await QueryGrantsAsync("WHERE id = @id", cancellationToken, ("id", id));
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc />
    public async Task<bool> TryUpdateGrantAsync(AccessGrant grant, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await UpdateGrantAsync(connection, null, grant, expectedVersion, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> TryEndGrantAsync(AccessGrant ended, long expectedVersion, IReadOnlyList<GrantUpdate> heirs, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var update in heirs.Prepend(new GrantUpdate(ended, expectedVersion)))
        {
            if (!await UpdateGrantAsync(connection, transaction, update.Grant, update.ExpectedVersion, cancellationToken))
            {
                await transaction.RollbackAsync(cancellationToken);
                return false;
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AccessGrant>> ListActiveGrantsAsync(CancellationToken cancellationToken) =>
        QueryGrantsAsync("WHERE state = 'Active' ORDER BY ends_at, id", cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AccessGrant>> ListActiveGrantsOnTokenAsync(string organization, string tokenId, CancellationToken cancellationToken) =>
        QueryGrantsAsync("WHERE organization = @org AND token_id = @token AND state = 'Active' ORDER BY ends_at, id", cancellationToken, ("org", organization), ("token", tokenId));

    /// <inheritdoc />
    public Task<IReadOnlyList<AccessGrant>> ListEndedGrantsAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        QueryGrantsAsync("WHERE state <> 'Active' AND ended_at >= @since ORDER BY ended_at, id", cancellationToken, ("since", since.ToUnixTimeMilliseconds()));

    /// <inheritdoc />
    public async Task<AccessGrant?> TryClaimGrantAsync(string grantId, RevokeClaim claim, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);

        // RevokeClaim.Excludes, in SQL, in one statement: free, lapsed, ours, or left by an earlier (dead) run of our instance.
        // FOR UPDATE SKIP LOCKED: a row another replica is claiming or changing right now is skipped, not waited for; it
        // is theirs, or it comes round again on the next pass. Replicas sweeping the same due grants never queue on locks.
        await using var command = new NpgsqlCommand($"""
            UPDATE access_grants SET claimed_by = @owner, claimed_started_at = @started, claimed_until = @until, version = version + 1
            WHERE id = (
                SELECT id FROM access_grants
                WHERE id = @id AND state = 'Active'
                  AND (claimed_by IS NULL OR claimed_until IS NULL OR claimed_until < @now
                       OR (claimed_by = @owner AND claimed_started_at IS NOT NULL AND @started IS NOT NULL AND claimed_started_at <= @started))
                FOR UPDATE SKIP LOCKED)
            RETURNING {GrantColumns}
            """, connection);
        command.Parameters.AddWithValue("owner", claim.InstanceId);
        command.Parameters.AddWithValue("started", NpgsqlDbType.Bigint, (object?)claim.InstanceStartedAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("until", claim.Until.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("id", grantId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadGrant(reader) : null;
    }

    private static async Task InsertRequestAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, AccessRequest request, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO access_requests (id, state, organization, token_id, requester_id, created_at, expires_at, version, data)
            VALUES (@id, @state, @org, @token, @requester, @created, @expires, @version, @data)
            """, connection, transaction);
        command.Parameters.AddWithValue("id", request.Id);
        command.Parameters.AddWithValue("org", request.Target.Organization);
        command.Parameters.AddWithValue("token", request.Target.TokenId);
        command.Parameters.AddWithValue("requester", request.Requester.UserId);
        command.Parameters.AddWithValue("created", request.CreatedAt.ToUnixTimeMilliseconds());
        AddRequestColumns(command, request, request.Version);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<bool> UpdateRequestAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, AccessRequest request, long expectedVersion, CancellationToken cancellationToken)
    {
        // Only a pending request may change state; a settled one accepts no update at all.
        await using var command = new NpgsqlCommand("""
            UPDATE access_requests SET state = @state, expires_at = @expires, version = @version, data = @data
            WHERE id = @id AND version = @expected AND state = 'Pending'
            """, connection, transaction);
        command.Parameters.AddWithValue("id", request.Id);
        command.Parameters.AddWithValue("expected", expectedVersion);
        AddRequestColumns(command, request, expectedVersion + 1);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static void AddRequestColumns(NpgsqlCommand command, AccessRequest request, long version)
    {
        command.Parameters.AddWithValue("state", request.State.ToString());
        command.Parameters.AddWithValue("expires", request.ExpiresAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("version", version);
        command.Parameters.AddWithValue("data", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(request with { Version = version }, AccessDocument.Json));
    }

    private static async Task InsertGrantAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, AccessGrant grant, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO access_grants (id, state, organization, token_id, database_name, ends_at, ended_at, claimed_by, claimed_started_at, claimed_until, version, data)
            VALUES (@id, @state, @org, @token, @db, @ends, @ended, @claimedBy, @claimedStarted, @claimedUntil, @version, @data)
            """, connection, transaction);
        command.Parameters.AddWithValue("id", grant.Id);
        command.Parameters.AddWithValue("org", grant.Target.Organization);
        command.Parameters.AddWithValue("token", grant.Target.TokenId);
        command.Parameters.AddWithValue("db", NpgsqlDbType.Text, (object?)grant.Target.Database ?? DBNull.Value);
        AddGrantColumns(command, grant, grant.Version);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<bool> UpdateGrantAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, AccessGrant grant, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            UPDATE access_grants
            SET state = @state, ends_at = @ends, ended_at = @ended,
                claimed_by = @claimedBy, claimed_started_at = @claimedStarted, claimed_until = @claimedUntil, version = @version, data = @data
            WHERE id = @id AND version = @expected
            """, connection, transaction);
        command.Parameters.AddWithValue("id", grant.Id);
        command.Parameters.AddWithValue("expected", expectedVersion);
        AddGrantColumns(command, grant, expectedVersion + 1);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static void AddGrantColumns(NpgsqlCommand command, AccessGrant grant, long version)
    {
        command.Parameters.AddWithValue("state", grant.State.ToString());
        command.Parameters.AddWithValue("ends", grant.EndsAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("ended", NpgsqlDbType.Bigint, (object?)grant.EndedAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("claimedBy", NpgsqlDbType.Text, (object?)grant.Claim?.InstanceId ?? DBNull.Value);
        command.Parameters.AddWithValue("claimedStarted", NpgsqlDbType.Bigint, (object?)grant.Claim?.InstanceStartedAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("claimedUntil", NpgsqlDbType.Bigint, (object?)grant.Claim?.Until.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("version", version);
        command.Parameters.AddWithValue("data", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(grant with { Version = version }, AccessDocument.Json));
    }

    private Task<IReadOnlyList<AccessRequest>> QueryRequestsAsync(string where, CancellationToken cancellationToken, params (string Name, object Value)[] parameters) =>
        QueryAsync("SELECT version, data::text FROM access_requests " + where, reader =>
            (JsonSerializer.Deserialize<AccessRequest>(reader.GetString(1), AccessDocument.Json)
                ?? throw new InvalidDataException("An access request row holds no document.")) with { Version = reader.GetInt64(0) },
            cancellationToken, parameters);

    private Task<IReadOnlyList<AccessGrant>> QueryGrantsAsync(string where, CancellationToken cancellationToken, params (string Name, object Value)[] parameters) =>
        QueryAsync($"SELECT {GrantColumns} FROM access_grants " + where, ReadGrant, cancellationToken, parameters);

    // Columns win over the document: the version and the claim are changed by statements that leave data as it is.
    private static AccessGrant ReadGrant(NpgsqlDataReader reader) =>
        (JsonSerializer.Deserialize<AccessGrant>(reader.GetString(4), AccessDocument.Json)
            ?? throw new InvalidDataException("An access grant row holds no document.")) with
        {
            Version = reader.GetInt64(0),
            Claim = reader.IsDBNull(1) || reader.IsDBNull(3)
                ? null
                : new RevokeClaim(
                    reader.GetString(1),
                    reader.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))),
        };

    private async Task<IReadOnlyList<T>> QueryAsync<T>(
        string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, (string Name, object Value)[] parameters)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(read(reader));
        }

        return result;
    }
}
