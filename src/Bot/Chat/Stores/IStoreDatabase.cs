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

    /// <summary>The engine, for the rare statement that cannot be portable (row locks: PostgreSQL's <c>FOR UPDATE</c>).</summary>
    SqlDialect Dialect { get; }
}
