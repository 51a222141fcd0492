using System.Text.Json;
using PscaleBot.Bot.Access;
using PscaleBot.Bot.Chat.Stores;
using PscaleBot.Bot.Persistence.Migrations;
using PscaleBot.Commands.Rotation;

namespace PscaleBot.Bot.Rotation;

/// <summary>
/// <see cref="ITokenRetirementStore"/> in the database the other stores use (<see cref="IStoreDatabase"/>: the access
/// store's SQLite file, or the shared PostgreSQL database), with one set of portable statements: the record as JSON in
/// <c>data</c>, the columns the sweep filters on beside it, and every update
/// <c>UPDATE … WHERE id = @id AND version = @expected</c>.
/// </summary>
public sealed class SqlTokenRetirementStore(IStoreDatabase database) : ITokenRetirementStore, IMigratingStore
{
    private const string Open = "state IN ('Scheduled', 'Deleting')";
    private static readonly JsonSerializerOptions Json = AccessDocument.Json;

    /// <inheritdoc />
    public string? Location => database.Location;

    /// <inheritdoc />
    public string? Setting => database.Setting;

    /// <inheritdoc />
    public Task MigrateAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);

    /// <inheritdoc />
    public async Task InsertAsync(TokenRetirement retirement, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = StoreCommand.Create(connection,
            "INSERT INTO token_retirements (id, state, organization, token_id, due_at, version, data) "
            + "VALUES (@id, @state, @organization, @token_id, @due_at, @version, @data)",
            Values(retirement));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<TokenRetirement?> GetAsync(string id, CancellationToken cancellationToken) =>
        (await QueryAsync("WHERE id = @id", cancellationToken, ("@id", id))).FirstOrDefault();

    /// <inheritdoc />
    public async Task<TokenRetirement?> FindOpenAsync(string organization, string tokenId, CancellationToken cancellationToken) =>
        (await QueryAsync($"WHERE organization = @organization AND token_id = @token_id AND {Open}", cancellationToken,
            ("@organization", organization), ("@token_id", tokenId))).FirstOrDefault();

    /// <inheritdoc />
    public Task<IReadOnlyList<TokenRetirement>> ListOpenAsync(CancellationToken cancellationToken) =>
        QueryAsync($"WHERE {Open} ORDER BY due_at, id", cancellationToken);

    /// <inheritdoc />
    public async Task<bool> TryUpdateAsync(TokenRetirement retirement, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = StoreCommand.Create(connection,
            "UPDATE token_retirements SET state = @state, organization = @organization, token_id = @token_id, due_at = @due_at, "
            + "version = @version, data = @data WHERE id = @id AND version = @expected",
            [.. Values(retirement with { Version = expectedVersion + 1 }), ("@expected", expectedVersion)]);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task<IReadOnlyList<TokenRetirement>> QueryAsync(string where, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = StoreCommand.Create(connection, $"SELECT version, data FROM token_retirements {where}", parameters);
        var found = new List<TokenRetirement>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // The version column wins over the document: it is what compare-and-set checks.
            var record = JsonSerializer.Deserialize<TokenRetirement>(reader.GetString(1), Json)
                ?? throw new InvalidDataException("A token_retirements row holds no record.");
            found.Add(record with { Version = reader.GetInt64(0) });
        }

        return found;
    }

    private static (string Name, object? Value)[] Values(TokenRetirement retirement) =>
    [
        ("@id", retirement.Id),
        ("@state", retirement.State.ToString()),
        ("@organization", retirement.Organization),
        ("@token_id", retirement.OldTokenId),
        ("@due_at", retirement.DueAt.ToUnixTimeMilliseconds()),
        ("@version", retirement.Version),
        ("@data", JsonSerializer.Serialize(retirement, Json)),
    ];
}
