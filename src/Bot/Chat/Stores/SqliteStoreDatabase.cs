using System.Data.Common;
using PscaleBot.Bot.Persistence;
using PscaleBot.Bot.Persistence.Migrations;

namespace PscaleBot.Bot.Chat.Stores;

/// <summary><see cref="IStoreDatabase"/> on a SQLite file (<see cref="SqliteDatabase"/>: WAL, 30 s busy wait, migrations on first open).</summary>
public sealed class SqliteStoreDatabase : IStoreDatabase, IDisposable
{
    private readonly SqliteDatabase database;

    /// <summary>The file at <paramref name="path"/> with <paramref name="schema"/>'s SQLite steps.</summary>
    public SqliteStoreDatabase(string path, EngineSchemas schema, TimeProvider time, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(schema);
        database = new SqliteDatabase(path, schema.Sqlite, time, logger);
    }

    /// <inheritdoc />
    public string? Location => database.Path;

    /// <inheritdoc />
    public Task MigrateAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);

    /// <inheritdoc />
    public SqlDialect Dialect => SqlDialect.Sqlite;

    /// <inheritdoc />
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await database.OpenAsync(cancellationToken);

    /// <summary>Releases the pooled connections.</summary>
    public void Dispose() => database.Dispose();
}
