using System.Text.Json;
using Microsoft.Data.Sqlite;
using PscaleBot.Bot.Persistence;
using PscaleBot.Bot.Persistence.Migrations;
using PscaleBot.Commands.Access;

namespace PscaleBot.Bot.Access;

/// <summary>
/// <see cref="IAccessStore"/> on a SQLite file, so requests and grants survive restarts.
/// <para>
/// Schema: one table per kind. The columns the workflow filters and races on are real columns (<c>state</c>,
/// <c>version</c>, <c>expires_at</c>/<c>ends_at</c>/<c>ended_at</c> as Unix milliseconds, the revoker's lease
/// <c>claimed_by</c>/<c>claimed_started_at</c>/<c>claimed_until</c>, token and resource); the rest of the record is a JSON document in
/// <c>data</c>. Columns win over the document when they disagree. Every update is
/// <c>UPDATE … WHERE id = @id AND version = @expected</c> with <c>version = @expected + 1</c>: one affected row
/// means the compare-and-set won. Multi-row changes run in one <c>BEGIN IMMEDIATE</c> transaction.
/// </para>
/// <para>
/// <see cref="PostgresAccessStore"/> keeps the same tables, columns and statements for several replicas; the same
/// contract tests run against both.
/// </para>
/// </summary>
public sealed class SqliteAccessStore : IAccessStore, IMigratingStore, IDisposable
{
    private static readonly JsonSerializerOptions Json = AccessDocument.Json;

    private readonly SqliteDatabase database;

    /// <summary>Opens (and on first use creates) the store at <paramref name="path"/>.</summary>
    public SqliteAccessStore(string path, TimeProvider? time = null, ILogger<SqliteAccessStore>? logger = null)
    {
        database = new SqliteDatabase(path, AccessSchema.Sqlite, time, logger);
    }

    /// <inheritdoc />
    public string? Location => database.Path;

    /// <inheritdoc />
    public Task MigrateAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);

    /// <summary>Releases the pooled connections.</summary>
    public void Dispose() => database.Dispose();

    /// <inheritdoc />
    public async Task<bool> IdExistsAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS(SELECT 1 FROM access_requests WHERE id = $id) OR EXISTS(SELECT 1 FROM access_grants WHERE id = $id)";
        command.Parameters.AddWithValue("$id", id);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken)) == 1;
    }

    /// <inheritdoc />
    public async Task InsertRequestAsync(AccessRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await InsertRequestAsync(connection, null, request, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<AccessRequest?> GetRequestAsync(string id, CancellationToken cancellationToken)
    {
        var found = await QueryRequestsAsync("WHERE id = $id", cancellationToken, ("$id", id));
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc />
    public async Task<bool> TryUpdateRequestAsync(AccessRequest request, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await UpdateRequestAsync(connection, null, request, expectedVersion, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AccessRequest>> ListPendingRequestsAsync(CancellationToken cancellationToken) =>
        QueryRequestsAsync("WHERE state = 'Pending' ORDER BY created_at", cancellationToken);

    /// <inheritdoc />
    public async Task InsertGrantAsync(AccessGrant grant, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await InsertGrantAsync(connection, null, grant, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> TrySettleRequestWithGrantAsync(AccessRequest request, long expectedRequestVersion, AccessGrant grant, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
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
        var found = await QueryGrantsAsync("WHERE id = $id", cancellationToken, ("$id", id));
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc />
    public async Task<bool> TryUpdateGrantAsync(AccessGrant grant, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await UpdateGrantAsync(connection, null, grant, expectedVersion, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> TryEndGrantAsync(AccessGrant ended, long expectedVersion, IReadOnlyList<GrantUpdate> heirs, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
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
        QueryGrantsAsync("WHERE state = 'Active' ORDER BY ends_at", cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AccessGrant>> ListActiveGrantsOnTokenAsync(string organization, string tokenId, CancellationToken cancellationToken) =>
        QueryGrantsAsync("WHERE organization = $org AND token_id = $token AND state = 'Active' ORDER BY ends_at", cancellationToken, ("$org", organization), ("$token", tokenId));

    /// <inheritdoc />
    public Task<IReadOnlyList<AccessGrant>> ListEndedGrantsAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        QueryGrantsAsync("WHERE state <> 'Active' AND ended_at >= $since ORDER BY ended_at", cancellationToken, ("$since", since.ToUnixTimeMilliseconds()));

    /// <inheritdoc />
    public async Task<AccessGrant?> TryClaimGrantAsync(string grantId, RevokeClaim claim, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using (var connection = await OpenAsync(cancellationToken))
        await using (var command = connection.CreateCommand())
        {
            // RevokeClaim.Excludes, in SQL: free, lapsed, ours, or left by an earlier (dead) run of our instance.
            command.CommandText = """
                UPDATE access_grants SET claimed_by = $owner, claimed_started_at = $started, claimed_until = $until, version = version + 1
                WHERE id = $id AND state = 'Active'
                  AND (claimed_by IS NULL OR claimed_until IS NULL OR claimed_until < $now
                       OR (claimed_by = $owner AND claimed_started_at IS NOT NULL AND $started IS NOT NULL AND claimed_started_at <= $started))
                """;
            command.Parameters.AddWithValue("$owner", claim.InstanceId);
            command.Parameters.AddWithValue("$started", (object?)claim.InstanceStartedAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
            command.Parameters.AddWithValue("$until", claim.Until.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$id", grantId);
            if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                return null;
            }
        }

        return await GetGrantAsync(grantId, cancellationToken);
    }

    /// <inheritdoc />
    public async Task ProbeWritableAsync(CancellationToken cancellationToken)
    {
        // SQLite opens a file it may not write read-only without a word, and reads keep working. Taking the write lock
        // is not proof either: a connection opened before the disk turned read-only keeps its handles and locks, and a
        // rolled-back transaction writes nothing. Committing an unchanged header field (user_version, which no store
        // uses) writes one WAL frame, and that is what fails on a read-only, immutable or full disk.
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "PRAGMA user_version;";
        var version = Convert.ToInt64(await read.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        await using var write = connection.CreateCommand();
        write.Transaction = transaction;
        write.CommandText = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"PRAGMA user_version = {version};");
        await write.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => database.OpenAsync(cancellationToken);

    private static async Task InsertRequestAsync(SqliteConnection connection, SqliteTransaction? transaction, AccessRequest request, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO access_requests (id, state, organization, token_id, requester_id, created_at, expires_at, version, data)
            VALUES ($id, $state, $org, $token, $requester, $created, $expires, $version, $data)
            """;
        command.Parameters.AddWithValue("$id", request.Id);
        command.Parameters.AddWithValue("$org", request.Target.Organization);
        command.Parameters.AddWithValue("$token", request.Target.TokenId);
        command.Parameters.AddWithValue("$requester", request.Requester.UserId);
        command.Parameters.AddWithValue("$created", request.CreatedAt.ToUnixTimeMilliseconds());
        AddRequestColumns(command, request, request.Version);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<bool> UpdateRequestAsync(SqliteConnection connection, SqliteTransaction? transaction, AccessRequest request, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;

        // Only a pending request may change state; a settled one accepts no update at all.
        command.CommandText = """
            UPDATE access_requests SET state = $state, expires_at = $expires, version = $version, data = $data
            WHERE id = $id AND version = $expected AND state = 'Pending'
            """;
        command.Parameters.AddWithValue("$id", request.Id);
        command.Parameters.AddWithValue("$expected", expectedVersion);
        AddRequestColumns(command, request, expectedVersion + 1);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static void AddRequestColumns(SqliteCommand command, AccessRequest request, long version)
    {
        command.Parameters.AddWithValue("$state", request.State.ToString());
        command.Parameters.AddWithValue("$expires", request.ExpiresAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$version", version);
        command.Parameters.AddWithValue("$data", JsonSerializer.Serialize(request with { Version = version }, Json));
    }

    private static async Task InsertGrantAsync(SqliteConnection connection, SqliteTransaction? transaction, AccessGrant grant, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO access_grants (id, state, organization, token_id, database_name, ends_at, ended_at, claimed_by, claimed_started_at, claimed_until, version, data)
            VALUES ($id, $state, $org, $token, $db, $ends, $ended, $claimedBy, $claimedStarted, $claimedUntil, $version, $data)
            """;
        command.Parameters.AddWithValue("$id", grant.Id);
        command.Parameters.AddWithValue("$org", grant.Target.Organization);
        command.Parameters.AddWithValue("$token", grant.Target.TokenId);
        command.Parameters.AddWithValue("$db", (object?)grant.Target.Database ?? DBNull.Value);
        AddGrantColumns(command, grant, grant.Version);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<bool> UpdateGrantAsync(SqliteConnection connection, SqliteTransaction? transaction, AccessGrant grant, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            UPDATE access_grants
            SET state = $state, ends_at = $ends, ended_at = $ended,
                claimed_by = $claimedBy, claimed_started_at = $claimedStarted, claimed_until = $claimedUntil, version = $version, data = $data
            WHERE id = $id AND version = $expected
            """;
        command.Parameters.AddWithValue("$id", grant.Id);
        command.Parameters.AddWithValue("$expected", expectedVersion);
        AddGrantColumns(command, grant, expectedVersion + 1);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static void AddGrantColumns(SqliteCommand command, AccessGrant grant, long version)
    {
        command.Parameters.AddWithValue("$state", grant.State.ToString());
        command.Parameters.AddWithValue("$ends", grant.EndsAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$ended", (object?)grant.EndedAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$claimedBy", (object?)grant.Claim?.InstanceId ?? DBNull.Value);
        command.Parameters.AddWithValue("$claimedStarted", (object?)grant.Claim?.InstanceStartedAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$claimedUntil", (object?)grant.Claim?.Until.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$version", version);
        command.Parameters.AddWithValue("$data", JsonSerializer.Serialize(grant with { Version = version }, Json));
    }

    private Task<IReadOnlyList<AccessRequest>> QueryRequestsAsync(string where, CancellationToken cancellationToken, params (string Name, object Value)[] parameters) =>
        QueryAsync("SELECT version, data FROM access_requests " + where, reader =>
            (JsonSerializer.Deserialize<AccessRequest>(reader.GetString(1), Json)
                ?? throw new InvalidDataException("An access request row holds no document.")) with { Version = reader.GetInt64(0) },
            cancellationToken, parameters);

    private Task<IReadOnlyList<AccessGrant>> QueryGrantsAsync(string where, CancellationToken cancellationToken, params (string Name, object Value)[] parameters) =>
        QueryAsync("SELECT version, claimed_by, claimed_started_at, claimed_until, data FROM access_grants " + where, reader =>
            (JsonSerializer.Deserialize<AccessGrant>(reader.GetString(4), Json)
                ?? throw new InvalidDataException("An access grant row holds no document.")) with
            {
                Version = reader.GetInt64(0),
                Claim = ReadClaim(reader),
            },
            cancellationToken, parameters);

    // A claim without its lapse time cannot be honoured; one without a start time is a plain lease (before migration 2).
    private static RevokeClaim? ReadClaim(SqliteDataReader reader) =>
        reader.IsDBNull(1) || reader.IsDBNull(3)
            ? null
            : new RevokeClaim(
                reader.GetString(1),
                reader.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));

    private async Task<IReadOnlyList<T>> QueryAsync<T>(
        string sql, Func<SqliteDataReader, T> read, CancellationToken cancellationToken, (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
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
