using System.Text.Json;
using PscaleBot.Bot.Chat.Stores;
using PscaleBot.Bot.Persistence.Migrations;
using PscaleBot.Bot.Teams.Protocol;

namespace PscaleBot.Bot.Teams.Access;

/// <summary>One conversation reference the bot may post to, under a qualified key (<c>teams:channel:…</c>, <c>teams:user:…</c>).</summary>
/// <param name="Key">The key; stored in lower case, so look-ups ignore case as Teams ids do.</param>
/// <param name="Reference">Where to post: serviceUrl, conversation, bot and user accounts, tenant.</param>
internal sealed record TeamsConversationEntry(string Key, ConversationReference Reference);

/// <summary>
/// The conversation references of <see cref="TeamsConversationDirectory"/>, kept where every replica and the next
/// run find them: a proactive post (an approval card, a private notice) needs a serviceUrl only Teams can give.
/// </summary>
internal interface ITeamsConversationStore
{
    /// <summary>Records (or replaces) every entry, in one round trip.</summary>
    Task SaveAsync(IReadOnlyList<TeamsConversationEntry> entries, CancellationToken cancellationToken);

    /// <summary>The reference under <paramref name="key"/>, or null.</summary>
    Task<ConversationReference?> FindAsync(string key, CancellationToken cancellationToken);
}

/// <summary>The conversation table, per engine. Append, never edit.</summary>
internal static class TeamsConversationSchema
{
    private const string Store = "teams_conversations";

    public static EngineSchemas Schemas { get; } = new(
        new StoreSchema(Store, new SchemaMigration(1, "teams conversation references", """
            CREATE TABLE IF NOT EXISTS teams_conversations (
                key        TEXT    NOT NULL PRIMARY KEY,
                reference  TEXT    NOT NULL,
                updated_at INTEGER NOT NULL
            );
            """)),
        new StoreSchema(Store, new SchemaMigration(1, "teams conversation references", """
            CREATE TABLE IF NOT EXISTS teams_conversations (
                key        TEXT   NOT NULL PRIMARY KEY,
                reference  TEXT   NOT NULL,
                updated_at BIGINT NOT NULL
            );
            """)));
}

/// <summary><see cref="ITeamsConversationStore"/> as one table (key → reference as Bot Framework JSON) in either engine.</summary>
internal sealed class SqlTeamsConversationStore(IStoreDatabase database, TimeProvider time) : ITeamsConversationStore, IMigratingStore
{
    public string? Location => database.Location;

    public string? Setting => database.Setting;

    public Task MigrateAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);

    public async Task SaveAsync(IReadOnlyList<TeamsConversationEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var at = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var entry in entries)
        {
            await using var command = StoreCommand.Create(connection, """
                INSERT INTO teams_conversations (key, reference, updated_at) VALUES (@key, @reference, @at)
                ON CONFLICT (key) DO UPDATE SET reference = excluded.reference, updated_at = excluded.updated_at
                """,
                ("@key", Normalise(entry.Key)), ("@reference", JsonSerializer.Serialize(entry.Reference, TeamsJsonContext.Default.ConversationReference)), ("@at", at));
            command.Transaction = transaction;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<ConversationReference?> FindAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = StoreCommand.Create(connection, "SELECT reference FROM teams_conversations WHERE key = @key", ("@key", Normalise(key)));
        return await command.ExecuteScalarAsync(cancellationToken) is string json
            ? JsonSerializer.Deserialize(json, TeamsJsonContext.Default.ConversationReference)
            : null;
    }

    private static string Normalise(string key) => key.Trim().ToLowerInvariant();
}
