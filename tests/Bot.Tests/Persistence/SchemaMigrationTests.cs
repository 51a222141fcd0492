using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using PscaleBot.Bot.Access;
using PscaleBot.Bot.Persistence;
using PscaleBot.Bot.Persistence.Migrations;
using PscaleBot.Bot.Slack.Access;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Audit;

namespace PscaleBot.Bot.Tests.Persistence;

public sealed class SchemaMigrationTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("migration-tests-").FullName;

    private string DbPath => Path.Combine(folder, "store.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    private static StoreSchema Schema(int versions) => new(
        "widgets",
        [.. new[]
        {
            new SchemaMigration(1, "widgets", "CREATE TABLE IF NOT EXISTS widgets (id INTEGER PRIMARY KEY)"),
            new SchemaMigration(2, "widget names", "ALTER TABLE widgets ADD COLUMN name TEXT"),
            new SchemaMigration(3, "widget index", "CREATE INDEX ix_widgets_name ON widgets (name)"),
        }.Take(versions)]);

    [Fact]
    public async Task Missing_steps_are_applied_in_order_once_and_recorded()
    {
        using (var first = new SqliteDatabase(DbPath, Schema(1)))
        {
            await first.MigrateAsync(CancellationToken.None);
        }

        using var second = new SqliteDatabase(DbPath, Schema(3));
        await using var connection = await second.OpenAsync(CancellationToken.None);
        await second.MigrateAsync(CancellationToken.None);

        Assert.Equal(["1 widgets", "2 widget names", "3 widget index"], Rows(connection, "SELECT version || ' ' || name FROM schema_migrations WHERE store = 'widgets' ORDER BY version"));
        Assert.Equal("wal", Rows(connection, "PRAGMA journal_mode").Single());
        Assert.Single(Rows(connection, "SELECT name FROM sqlite_master WHERE name = 'ix_widgets_name'"));
    }

    [Fact]
    public async Task A_failing_step_leaves_nothing_half_applied()
    {
        var broken = new StoreSchema("widgets",
            new SchemaMigration(1, "widgets", "CREATE TABLE widgets (id INTEGER PRIMARY KEY)"),
            new SchemaMigration(2, "broken", "THIS IS NOT SQL"));
        using (var database = new SqliteDatabase(DbPath, broken))
        {
            await Assert.ThrowsAsync<SqliteException>(() => database.MigrateAsync(CancellationToken.None));
        }

        using var fixedSchema = new SqliteDatabase(DbPath, Schema(1));
        await using var connection = await fixedSchema.OpenAsync(CancellationToken.None);
        Assert.Equal(["1"], Rows(connection, "SELECT version FROM schema_migrations"));
    }

    [Fact]
    public async Task A_database_from_newer_code_is_refused()
    {
        using (var newer = new SqliteDatabase(DbPath, Schema(3)))
        {
            await newer.MigrateAsync(CancellationToken.None);
        }

        using var older = new SqliteDatabase(DbPath, Schema(2));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => older.OpenAsync(CancellationToken.None));
        Assert.Contains("newer than this bot's 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Versions_out_of_order_are_a_programming_error() =>
        Assert.Throws<ArgumentException>(() => new StoreSchema("widgets", new SchemaMigration(2, "two", "SELECT 1")));

    [Fact]
    public async Task Two_stores_share_one_file_each_with_its_own_versions()
    {
        using var access = new SqliteAccessStore(DbPath);
        using var posts = new SqliteSlackAccessPostStore(DbPath, TimeProvider.System);
        await access.MigrateAsync(CancellationToken.None);
        await posts.MigrateAsync(CancellationToken.None);

        using var database = new SqliteDatabase(DbPath, Schema(1));
        await using var connection = await database.OpenAsync(CancellationToken.None);
        Assert.Equal(["access 1", "access 2", "slack_access_posts 1", "widgets 1"], Rows(connection, "SELECT store || ' ' || version FROM schema_migrations ORDER BY store"));
    }

    [Fact]
    public async Task An_audit_file_made_before_migrations_were_recorded_still_opens_with_its_entries()
    {
        // What the earlier bot wrote: its own schema_version table and the audit table.
        Execute("""
            CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL);
            INSERT INTO schema_version VALUES (1, '2026-11-01T00:00:00Z');
            CREATE TABLE audit_entries (
                id INTEGER PRIMARY KEY AUTOINCREMENT, time_ms INTEGER NOT NULL, time_utc TEXT NOT NULL, platform TEXT NOT NULL,
                place TEXT NOT NULL, user_id TEXT NOT NULL, command TEXT NOT NULL, decision TEXT NOT NULL, reason TEXT,
                outcome TEXT NOT NULL, request_ids TEXT NOT NULL);
            CREATE INDEX ix_audit_entries_time ON audit_entries (time_ms);
            INSERT INTO audit_entries (time_ms, time_utc, platform, place, user_id, command, decision, reason, outcome, request_ids)
            VALUES (1764547200000, '2026-12-01T00:00:00.0000000Z', 'slack', 'slack:channel:C1', 'slack:user:U1', 'service-token list', 'allowed', NULL, 'ok', '[]');
            """);

        using var log = new SqliteAuditLog(DbPath, TimeProvider.System, NullLogger<SqliteAuditLog>.Instance);
        var entries = await log.RecentAsync(10, CancellationToken.None);

        Assert.Equal("service-token list", Assert.Single(entries).Command);
        Assert.Equal(["1", "2", "3"], Query("SELECT version FROM schema_migrations WHERE store = 'audit' ORDER BY version"));

        // The old row precedes the chain (genesis); the next append starts it.
        await log.AppendAsync(entries[0] with { Command = "after the upgrade" }, CancellationToken.None);
        var report = await new AuditChainVerifier(log).VerifyAsync(CancellationToken.None);
        Assert.True(report.Ok, report.Break?.Detail);
        Assert.Equal((1, 1), (report.Checked, report.Unchained));
    }

    [Fact]
    public async Task An_access_file_made_before_migrations_were_recorded_still_opens_with_its_rows()
    {
        Execute("""
            CREATE TABLE access_requests (id TEXT PRIMARY KEY, state TEXT NOT NULL, organization TEXT NOT NULL, token_id TEXT NOT NULL,
                requester_id TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL);
            CREATE TABLE access_grants (id TEXT PRIMARY KEY, state TEXT NOT NULL, organization TEXT NOT NULL, token_id TEXT NOT NULL,
                database_name TEXT NULL, ends_at INTEGER NOT NULL, ended_at INTEGER NULL, claimed_by TEXT NULL, claimed_until INTEGER NULL,
                version INTEGER NOT NULL, data TEXT NOT NULL);
            CREATE TABLE slack_access_posts (request_id TEXT PRIMARY KEY, channel_id TEXT NOT NULL, ts TEXT NOT NULL, posted_at INTEGER NOT NULL);
            INSERT INTO access_grants VALUES ('g-old1', 'Active', 'acme', 'tok1', NULL, 0, NULL, NULL, NULL, 1, '{}');
            INSERT INTO slack_access_posts VALUES ('r-old1', 'C0ADMINS', '1.1', 0);
            """);

        using var store = new SqliteAccessStore(DbPath);
        using var posts = new SqliteSlackAccessPostStore(DbPath, TimeProvider.System);

        Assert.True(await store.IdExistsAsync("g-old1", CancellationToken.None));
        Assert.Equal(new SlackAccessPost("r-old1", "C0ADMINS", "1.1"), await posts.FindAsync("r-old1", CancellationToken.None));
    }

    [Fact]
    public async Task A_claim_written_before_claims_recorded_their_run_is_read_as_a_plain_lease_after_migration_2()
    {
        // Version 1 as the earlier bot left it, with a claim by a run that named itself with a random id.
        Execute("""
            CREATE TABLE schema_migrations (store TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (store, version));
            INSERT INTO schema_migrations VALUES ('access', 1, 'access requests and grants', '2026-11-01T00:00:00Z');
            CREATE TABLE access_requests (id TEXT PRIMARY KEY, state TEXT NOT NULL, organization TEXT NOT NULL, token_id TEXT NOT NULL,
                requester_id TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL);
            CREATE TABLE access_grants (id TEXT PRIMARY KEY, state TEXT NOT NULL, organization TEXT NOT NULL, token_id TEXT NOT NULL,
                database_name TEXT NULL, ends_at INTEGER NOT NULL, ended_at INTEGER NULL, claimed_by TEXT NULL, claimed_until INTEGER NULL,
                version INTEGER NOT NULL, data TEXT NOT NULL);
            INSERT INTO access_grants VALUES ('g-old2', 'Active', 'acme', 'tok1', NULL, 0, NULL, 'revoker:host:0123abcd', 120000, 1, '{}');
            """);
        using var store = new SqliteAccessStore(DbPath);
        var restarted = new AccessReplicaIdentity("revoker:host", DateTimeOffset.FromUnixTimeMilliseconds(60000));

        var grant = await store.GetGrantAsync("g-old2", CancellationToken.None);

        Assert.Equal(new RevokeClaim("revoker:host:0123abcd", null, DateTimeOffset.FromUnixTimeMilliseconds(120000)), grant!.Claim);
        Assert.Null(await store.TryClaimGrantAsync("g-old2", restarted.Claim(DateTimeOffset.FromUnixTimeMilliseconds(180000)), DateTimeOffset.FromUnixTimeMilliseconds(60000), CancellationToken.None));
        Assert.NotNull(await store.TryClaimGrantAsync("g-old2", restarted.Claim(DateTimeOffset.FromUnixTimeMilliseconds(240000)), DateTimeOffset.FromUnixTimeMilliseconds(120001), CancellationToken.None));
        Assert.Equal(["1", "2"], Query("SELECT version FROM schema_migrations WHERE store = 'access' ORDER BY version"));
    }

    [Fact]
    public async Task The_host_applies_every_store_migration_at_start_up()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IAuditLog>(new SqliteAuditLog(Path.Combine(folder, "audit.db"), TimeProvider.System, NullLogger<SqliteAuditLog>.Instance));
        builder.Services.AddSingleton<IAccessStore>(new SqliteAccessStore(Path.Combine(folder, "access.db")));
        builder.Services.MigrateAtStartup<IAuditLog>().MigrateAtStartup<IAccessStore>();
        using var host = builder.Build();

        await host.StartAsync();
        await host.StopAsync();

        Assert.True(File.Exists(Path.Combine(folder, "audit.db")));
        Assert.True(File.Exists(Path.Combine(folder, "access.db")));
        Assert.Equal(["access 1", "access 2"], Query("SELECT store || ' ' || version FROM schema_migrations", Path.Combine(folder, "access.db")));
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DbPath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private List<string> Query(string sql, string? path = null)
    {
        using var connection = new SqliteConnection($"Data Source={path ?? DbPath}");
        connection.Open();
        return Rows(connection, sql);
    }

    private static List<string> Rows(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return rows;
    }
}
