using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using PscaleBot.Bot.Access;
using PscaleBot.Bot.Persistence.Migrations;
using PscaleBot.Commands.Access;
using PscaleBot.TestSupport.Postgres;

namespace PscaleBot.Benchmarks.Load;

/// <summary>
/// Where one run's bot keeps its data: SQLite files in the run's folder (one process), or a fresh database on a
/// throwaway PostgreSQL cluster started for this run alone (several replicas share it, and with it the PlanetScale
/// rate budget). The cluster is stopped and its folder deleted on dispose, whether the run passed or failed.
/// The harness reads and seeds the access store through the bot's own store types, so the schema is the bot's.
/// </summary>
internal sealed class BotStorage : IAsyncDisposable
{
    private readonly string dataDirectory;
    private readonly PostgresCluster? cluster;
    private readonly NpgsqlDataSource? dataSource;

    private BotStorage(string dataDirectory, PostgresCluster? cluster, NpgsqlDataSource? dataSource)
    {
        this.dataDirectory = dataDirectory;
        this.cluster = cluster;
        this.dataSource = dataSource;
    }

    /// <summary>Files in <paramref name="dataDirectory"/>, or (when <paramref name="server"/> runs on PostgreSQL) a new cluster and database.</summary>
    public static async Task<BotStorage> StartAsync(ServerSpec server, string dataDirectory, TextWriter progress)
    {
        if (server.Kind != ServerKind.Bot || !server.Postgres)
        {
            return new BotStorage(dataDirectory, null, null);
        }

        // PostgreSQL's durable defaults (fsync, synchronous commit), as a production database has them.
        var cluster = new PostgresCluster { Durable = true };
        try
        {
            await cluster.InitializeAsync();
            var connectionString = await cluster.CreateDatabaseAsync("pscalebot");
            await progress.WriteLineAsync($"  PostgreSQL cluster on 127.0.0.1:{cluster.Port.ToString(CultureInfo.InvariantCulture)} ({cluster.Folder})");
            return new BotStorage(dataDirectory, cluster, NpgsqlDataSource.Create(connectionString));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The settings that point replica <paramref name="replica"/> (from 1) at this storage.</summary>
    public IReadOnlyDictionary<string, string> Settings(int replica)
    {
        if (dataSource is null)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["Audit__Path"] = Path.Combine(dataDirectory, "audit.db"),
                ["AccessRequests__StorePath"] = AccessStorePath,
            };
        }

        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Storage__Provider"] = "Postgres",
            ["ConnectionStrings__Postgres"] = dataSource.ConnectionString,
            // Each replica its own stable name on revoke claims: on one host they would otherwise share the host
            // name, and the later start would take the earlier one's claims as a dead run's.
            ["AccessRequests__InstanceId"] = $"load-replica-{replica.ToString(CultureInfo.InvariantCulture)}",
        };
    }

    /// <summary>Writes <paramref name="grants"/> into the bot's access store (migrating it first), before the bot starts.</summary>
    public async Task SeedGrantsAsync(IReadOnlyList<AccessGrant> grants)
    {
        if (dataSource is null)
        {
            using var sqlite = new SqliteAccessStore(AccessStorePath);
            await SeedAsync(sqlite, sqlite, grants, parallel: 1);
            SqliteConnection.ClearAllPools();
            return;
        }

        var postgres = new PostgresAccessStore(dataSource);
        await SeedAsync(postgres, postgres, grants, parallel: 8);
    }

    /// <summary>Grants already ended (revoked).</summary>
    public Task<int> CountEndedGrantsAsync() => CountAsync("ended_at IS NOT NULL");

    /// <summary>Grants whose revoke failed at least once.</summary>
    public Task<int> CountGrantsWithFailedRevokesAsync() =>
        CountAsync(dataSource is null ? "json_extract(data, '$.revokeAttempts') > 0" : "(data->>'revokeAttempts')::int > 0");

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (dataSource is not null)
        {
            await dataSource.DisposeAsync();
        }

        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }
    }

    private string AccessStorePath => Path.Combine(dataDirectory, "access.db");

    private static async Task SeedAsync(IAccessStore store, IMigratingStore schema, IReadOnlyList<AccessGrant> grants, int parallel)
    {
        await schema.MigrateAsync(CancellationToken.None);
        await Parallel.ForAsync(0, grants.Count, new ParallelOptions { MaxDegreeOfParallelism = parallel },
            async (i, cancel) => await store.InsertGrantAsync(grants[i], cancel));
    }

    private async Task<int> CountAsync(string where)
    {
        var sql = $"SELECT count(*) FROM access_grants WHERE {where}";
        if (dataSource is not null)
        {
            await using var command = dataSource.CreateCommand(sql);
            return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        await using var connection = new SqliteConnection($"Data Source={AccessStorePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var sqlite = connection.CreateCommand();
        sqlite.CommandText = sql;
        return Convert.ToInt32(await sqlite.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
