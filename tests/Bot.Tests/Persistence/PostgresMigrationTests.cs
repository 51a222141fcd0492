using Npgsql;
using PscaleBot.Bot.Persistence;
using PscaleBot.Bot.Persistence.Migrations;
using PscaleBot.TestSupport.Postgres;

namespace PscaleBot.Bot.Tests.Persistence;

/// <summary>The one migration scheme on PostgreSQL: applied once even when replicas start together, atomic, and refusing a newer database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresMigrationTests(PostgresCluster cluster)
{
    private static StoreSchema Schema(int versions) => new(
        "widgets",
        [.. new[]
        {
            new SchemaMigration(1, "widgets", "CREATE TABLE widgets (id bigint PRIMARY KEY)"),
            new SchemaMigration(2, "widget names", "ALTER TABLE widgets ADD COLUMN name text"),
            new SchemaMigration(3, "widget index", "CREATE INDEX ix_widgets_name ON widgets (name)"),
        }.Take(versions)]);

    [Fact]
    public async Task Three_replicas_starting_at_once_migrate_once()
    {
        // Plain CREATE TABLE (no IF NOT EXISTS): a second run of any step fails, so only the lock keeps this green.
        for (var round = 0; round < 5; round++)
        {
            var connectionString = await cluster.CreateDatabaseAsync($"replicas{round}");
            var replicas = Enumerable.Range(0, 3).Select(_ => NpgsqlDataSource.Create(connectionString)).ToList();
            try
            {
                using var go = new ManualResetEventSlim();
                var starts = replicas.Select(r => Task.Run(async () =>
                {
                    go.Wait();
                    await new PostgresDatabase(r, Schema(3)).MigrateAsync(CancellationToken.None);
                })).ToList();
                go.Set();
                await Task.WhenAll(starts);

                Assert.Equal(["1", "2", "3"], await RowsAsync(replicas[0], "SELECT version::text FROM schema_migrations WHERE store = 'widgets' ORDER BY version"));
            }
            finally
            {
                foreach (var replica in replicas)
                {
                    await replica.DisposeAsync();
                }
            }
        }
    }

    [Fact]
    public async Task Missing_steps_are_applied_later_in_order_and_a_failing_step_leaves_nothing_half_applied()
    {
        await using var dataSource = NpgsqlDataSource.Create(await cluster.CreateDatabaseAsync("steps"));
        await new PostgresDatabase(dataSource, Schema(1)).MigrateAsync(CancellationToken.None);

        var broken = new StoreSchema("widgets", [.. Schema(2).Migrations, new SchemaMigration(3, "broken", "THIS IS NOT SQL")]);
        await Assert.ThrowsAsync<PostgresException>(() => new PostgresDatabase(dataSource, broken).MigrateAsync(CancellationToken.None));
        Assert.Equal(["1"], await RowsAsync(dataSource, "SELECT version::text FROM schema_migrations"));
        Assert.Empty(await RowsAsync(dataSource, "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'widgets' AND column_name = 'name'"));

        await new PostgresDatabase(dataSource, Schema(3)).MigrateAsync(CancellationToken.None);
        Assert.Equal(["1", "2", "3"], await RowsAsync(dataSource, "SELECT version::text FROM schema_migrations ORDER BY version"));
    }

    [Fact]
    public async Task A_database_from_newer_code_is_refused()
    {
        await using var dataSource = NpgsqlDataSource.Create(await cluster.CreateDatabaseAsync("newer"));
        await new PostgresDatabase(dataSource, Schema(3)).MigrateAsync(CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new PostgresDatabase(dataSource, Schema(2)).OpenAsync(CancellationToken.None));
        Assert.Contains("newer than this bot's 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_on_a_missing_database_is_one_sentence_naming_the_setting_and_no_password()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(cluster.ConnectionString("nowhere")) { Password = "hunter2-secret" }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var store = new PostgresDatabase(dataSource, Schema(1));

        var failure = await Assert.ThrowsAsync<PostgresException>(() => store.MigrateAsync(CancellationToken.None));
        var sentence = StoreFailure.Sentence(store.Setting!, store.Location, failure);

        Assert.Equal($"ConnectionStrings:Postgres (127.0.0.1:{cluster.Port}/nowhere) cannot be used: the database does not exist on the PostgreSQL server; create it, or fix Database= in the connection string.", sentence);
    }

    [Fact]
    public async Task An_unreachable_server_is_worded_as_such()
    {
        var closedPort = new NpgsqlConnectionStringBuilder(cluster.ConnectionString("postgres")) { Port = 1, Timeout = 3 }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(closedPort);

        var failure = await Assert.ThrowsAnyAsync<NpgsqlException>(() => new PostgresDatabase(dataSource, Schema(1)).MigrateAsync(CancellationToken.None));

        Assert.StartsWith("the PostgreSQL server cannot be reached (", StoreFailure.Reason(failure), StringComparison.Ordinal);
    }

    private static async Task<List<string>> RowsAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
