using System.Data.Common;
using PscaleBot.Bot.Persistence.Migrations;

namespace PscaleBot.Bot.Chat.Stores;

/// <summary>
/// The database a chat store keeps its rows in, whatever the engine: the stores' SQL is portable (named
/// <c>@parameters</c>, <c>INSERT … ON CONFLICT</c>, <c>RETURNING</c>, Unix milliseconds in 64-bit integers), so one
/// store class serves SQLite and PostgreSQL and only the schema's column types differ.
/// </summary>
public interface IStoreDatabase : IMigratingStore
{
    /// <summary>An open connection to an up-to-date database; the caller disposes it.</summary>
    Task<DbConnection> OpenAsync(CancellationToken cancellationToken);
}

/// <summary>A store's migrations for each engine, kept side by side so they stay in step.</summary>
/// <param name="Sqlite">The SQLite steps.</param>
/// <param name="Postgres">The PostgreSQL steps: the same versions and names, the engine's types.</param>
public sealed record EngineSchemas(StoreSchema Sqlite, StoreSchema Postgres);
