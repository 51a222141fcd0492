using System.Reflection;
using Microsoft.Data.Sqlite;
using Npgsql;
using PscaleBot.Bot.Persistence;
using PscaleBot.Bot.Persistence.Migrations;
using PscaleBot.TestSupport.Postgres;

namespace PscaleBot.Bot.Tests.Persistence;

/// <summary>
/// Issue 10 §1: the SQLite and PostgreSQL schemas stay in step. Every store's migrations (each
/// <see cref="EngineSchemas"/> the bot exposes) are applied to a real SQLite file and a real PostgreSQL database, and
/// what the engines report back is compared: the same tables, the same columns in the same order with mapped types
/// and the same nullability, the same indexes, the same recorded versions.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SchemaParityTests(PostgresCluster cluster) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("schema-parity-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>Every store's pair of schemas, found in the bot's assembly so a new store cannot be forgotten.</summary>
    public static IReadOnlyList<EngineSchemas> AllStores() =>
        [.. typeof(EngineSchemas).Assembly.GetTypes()
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Static))
            .Where(p => p.PropertyType == typeof(EngineSchemas))
            .Select(p => (EngineSchemas)p.GetValue(null)!)
            .OrderBy(s => s.Store, StringComparer.Ordinal)];

    [Fact]
    public void The_stores_that_exist_today_are_all_found()
    {
        var stores = AllStores().Select(s => s.Store).ToList();
        Assert.Contains("audit", stores);
        Assert.Contains("access", stores);
        Assert.Contains("slack_access_posts", stores);
        Assert.Equal(stores.Count, stores.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Engines_whose_steps_differ_are_refused()
    {
        var sqlite = new StoreSchema("widgets", new SchemaMigration(1, "widgets", "CREATE TABLE widgets (id INTEGER)"), new SchemaMigration(2, "names", "SELECT 1"));
        var postgres = new StoreSchema("widgets", new SchemaMigration(1, "widgets", "CREATE TABLE widgets (id bigint)"));
        var error = Assert.Throws<ArgumentException>(() => new EngineSchemas(sqlite, postgres));
        Assert.Contains("every version needs a step on both", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Both_engines_end_with_the_same_tables_columns_indexes_and_versions()
    {
        var stores = AllStores();
        var sqlitePath = Path.Combine(folder, "all.db");
        await using var dataSource = NpgsqlDataSource.Create(await cluster.CreateDatabaseAsync(nameof(SchemaParityTests)));
        foreach (var store in stores)
        {
            using var sqlite = new SqliteDatabase(sqlitePath, store.Sqlite);
            await sqlite.MigrateAsync(CancellationToken.None);
            await new PostgresDatabase(dataSource, store.Postgres).MigrateAsync(CancellationToken.None);
        }

        var sqliteSchema = await SqliteShapeAsync(sqlitePath);
        var postgresSchema = await PostgresShapeAsync(dataSource);

        Assert.Equal(sqliteSchema.Tables.Keys.Order(StringComparer.Ordinal), postgresSchema.Tables.Keys.Order(StringComparer.Ordinal));
        foreach (var (table, columns) in sqliteSchema.Tables)
        {
            Assert.Equal(columns, postgresSchema.Tables[table]);
        }

        Assert.Equal(sqliteSchema.Indexes, postgresSchema.Indexes);
        Assert.Equal(sqliteSchema.Versions, postgresSchema.Versions);
        Assert.Equal(stores.Sum(s => s.Sqlite.LatestVersion), sqliteSchema.Versions.Count);
    }

    private sealed record Shape(Dictionary<string, List<string>> Tables, List<string> Indexes, List<string> Versions);

    // SQLite's declared type → the engine-neutral kind; PostgreSQL's data_type → the same kinds. A column matches when
    // the kinds agree, so text may be jsonb or timestamptz on PostgreSQL but never a number.
    private static string SqliteKind(string declared) => declared.ToUpperInvariant() switch
    {
        "INTEGER" => "integer",
        "TEXT" => "text",
        var other => "unmapped SQLite type " + other,
    };

    private static string PostgresKind(string dataType) => dataType switch
    {
        "bigint" or "integer" => "integer",
        "text" or "jsonb" or "timestamp with time zone" => "text",
        var other => "unmapped PostgreSQL type " + other,
    };

    private static async Task<Shape> SqliteShapeAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        var tables = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var table in await RowsAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
        {
            // pragma table_info: cid, name, type, notnull, dflt_value, pk. A key column is never null on either engine.
            var columns = await RowsAsync(connection, $"SELECT name || '|' || type || '|' || (CASE WHEN \"notnull\" = 1 OR pk > 0 THEN 'not null' ELSE 'null' END) FROM pragma_table_info('{table}') ORDER BY cid");
            tables[table] = [.. columns.Select(c => c.Split('|')).Select(p => $"{p[0]} {SqliteKind(p[1])} {p[2]}")];
        }

        var indexes = await RowsAsync(connection, "SELECT tbl_name || '.' || name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex_%'");
        var versions = await RowsAsync(connection, "SELECT store || ' ' || version || ' ' || name FROM schema_migrations");
        return new Shape(tables, [.. indexes.Order(StringComparer.Ordinal)], [.. versions.Order(StringComparer.Ordinal)]);
    }

    private static async Task<Shape> PostgresShapeAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var tables = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var table in await RowsAsync(connection, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"))
        {
            var columns = await RowsAsync(connection, $"SELECT column_name || '|' || data_type || '|' || (CASE WHEN is_nullable = 'NO' THEN 'not null' ELSE 'null' END) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '{table}' ORDER BY ordinal_position");
            tables[table] = [.. columns.Select(c => c.Split('|')).Select(p => $"{p[0]} {PostgresKind(p[1])} {p[2]}")];
        }

        var indexes = await RowsAsync(connection, "SELECT tablename || '.' || indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey'");
        var versions = await RowsAsync(connection, "SELECT store || ' ' || version || ' ' || name FROM schema_migrations");
        return new Shape(tables, [.. indexes.Order(StringComparer.Ordinal)], [.. versions.Order(StringComparer.Ordinal)]);
    }

    private static async Task<List<string>> RowsAsync(System.Data.Common.DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
