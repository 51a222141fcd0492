using System.Text.Json;
using PscaleBot.Bot.Chat.Stores;
using PscaleBot.Bot.Persistence.Migrations;
using PscaleBot.Bot.Teams.Protocol;

namespace PscaleBot.Bot.Teams.Access;

/// <summary>Where the approvers' card of an access request was posted.</summary>
/// <param name="RequestId">The access request (<c>r-7kq2</c>).</param>
/// <param name="Where">The conversation the card is in.</param>
/// <param name="ActivityId">The card's activity id, as the connector's update needs it.</param>
internal sealed record TeamsApprovalCard(string RequestId, ConversationReference Where, string ActivityId);

/// <summary>
/// The approval cards the bot posted, so the card is replaced when the request progresses or settles, whoever
/// settled it (a click or a typed command), on whichever replica, after a restart too.
/// </summary>
internal interface ITeamsApprovalCardStore
{
    /// <summary>Records (or replaces) where the request's card is.</summary>
    Task SaveAsync(TeamsApprovalCard card, CancellationToken cancellationToken);

    /// <summary>The request's card, or null when it was never posted (or already settled).</summary>
    Task<TeamsApprovalCard?> FindAsync(string requestId, CancellationToken cancellationToken);

    /// <summary>Forgets the request's card once it is settled.</summary>
    Task ForgetAsync(string requestId, CancellationToken cancellationToken);
}

/// <summary>The approval-card table, per engine. Append, never edit.</summary>
internal static class TeamsApprovalCardSchema
{
    private const string Store = "teams_approval_cards";

    public static EngineSchemas Schemas { get; } = new(
        new StoreSchema(Store, new SchemaMigration(1, "teams approval cards", """
            CREATE TABLE IF NOT EXISTS teams_approval_cards (
                request_id  TEXT    NOT NULL PRIMARY KEY,
                reference   TEXT    NOT NULL,
                activity_id TEXT    NOT NULL,
                posted_at   INTEGER NOT NULL
            );
            """)),
        new StoreSchema(Store, new SchemaMigration(1, "teams approval cards", """
            CREATE TABLE IF NOT EXISTS teams_approval_cards (
                request_id  TEXT   NOT NULL PRIMARY KEY,
                reference   TEXT   NOT NULL,
                activity_id TEXT   NOT NULL,
                posted_at   BIGINT NOT NULL
            );
            """)));
}

/// <summary><see cref="ITeamsApprovalCardStore"/> as one table (request id → conversation and activity id) in either engine.</summary>
internal sealed class SqlTeamsApprovalCardStore(IStoreDatabase database, TimeProvider time) : ITeamsApprovalCardStore, IMigratingStore
{
    public string? Location => database.Location;

    public string? Setting => database.Setting;

    public Task MigrateAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);

    public async Task SaveAsync(TeamsApprovalCard card, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = StoreCommand.Create(connection, """
            INSERT INTO teams_approval_cards (request_id, reference, activity_id, posted_at) VALUES (@id, @reference, @activity, @at)
            ON CONFLICT (request_id) DO UPDATE SET reference = excluded.reference, activity_id = excluded.activity_id, posted_at = excluded.posted_at
            """,
            ("@id", card.RequestId), ("@reference", JsonSerializer.Serialize(card.Where, TeamsJsonContext.Default.ConversationReference)),
            ("@activity", card.ActivityId), ("@at", time.GetUtcNow().ToUnixTimeMilliseconds()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<TeamsApprovalCard?> FindAsync(string requestId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = StoreCommand.Create(connection, "SELECT reference, activity_id FROM teams_approval_cards WHERE request_id = @id", ("@id", requestId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            && JsonSerializer.Deserialize(reader.GetString(0), TeamsJsonContext.Default.ConversationReference) is { } where
                ? new TeamsApprovalCard(requestId, where, reader.GetString(1))
                : null;
    }

    public async Task ForgetAsync(string requestId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = StoreCommand.Create(connection, "DELETE FROM teams_approval_cards WHERE request_id = @id", ("@id", requestId));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
