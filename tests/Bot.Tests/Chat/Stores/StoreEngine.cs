using Microsoft.Data.Sqlite;
using Npgsql;
using PscaleBot.Bot.Chat.Stores;
using PscaleBot.Bot.Persistence;
using PscaleBot.Bot.Persistence.Migrations;
using PscaleBot.TestSupport.Postgres;

namespace PscaleBot.Bot.Tests.Chat.Stores;

/// <summary>
/// One database for one contract test, on one engine. <see cref="Open"/> returns a new store database each call,
/// all on the same data: two calls are two "replicas".
/// </summary>
public interface IStoreEngine : IAsyncDisposable
{
    /// <summary>A new connection source on this test's database, with <paramref name="schemas"/>.</summary>
    IStoreDatabase Open(EngineSchemas schemas);
}

/// <summary>A SQLite file in a fresh temporary folder, deleted at the end.</summary>
public sealed class SqliteStoreEngine : IStoreEngine
{
    private readonly string folder = Directory.CreateTempSubdirectory("pscale-chatstore-").FullName;
    private readonly List<SqliteStoreDatabase> opened = [];

    public string Path => System.IO.Path.Combine(folder, "access.db");

    public IStoreDatabase Open(EngineSchemas schemas)
    {
        var database = new SqliteStoreDatabase(Path, schemas, TimeProvider.System, null);
        lock (opened)
        {
            opened.Add(database);
        }

        return database;
    }

    public ValueTask DisposeAsync()
    {
        foreach (var database in opened)
        {
            database.Dispose();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}

/// <summary>A fresh database on the throwaway cluster; each <see cref="Open"/> is its own pool, as a replica's would be.</summary>
public sealed class PostgresStoreEngine(string connectionString) : IStoreEngine
{
    private readonly List<NpgsqlDataSource> pools = [];

    public static async Task<IStoreEngine> StartAsync(PostgresCluster cluster, string hint) =>
        new PostgresStoreEngine(await cluster.CreateDatabaseAsync(hint));

    public IStoreDatabase Open(EngineSchemas schemas)
    {
        var pool = NpgsqlDataSource.Create(connectionString);
        lock (pools)
        {
            pools.Add(pool);
        }

        return new PostgresStoreDatabase(new PostgresDatabase(pool, schemas.Postgres));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pool in pools)
        {
            await pool.DisposeAsync();
        }
    }
}
