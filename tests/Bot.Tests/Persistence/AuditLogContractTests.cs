using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using PscaleBot.Bot.Persistence;
using PscaleBot.Commands.Audit;
using PscaleBot.TestSupport.Postgres;

namespace PscaleBot.Bot.Tests.Persistence;

/// <summary>
/// What every <see cref="IAuditLog"/> promises, run against each engine. Times are whole microseconds, the finest
/// both engines keep.
/// </summary>
public abstract class AuditLogContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A new log instance on this test's database (a second call is another process on the same data).</summary>
    protected abstract Task<IAuditLog> OpenAsync();

    /// <summary>Every stored text value of the audit table, as the engine holds it.</summary>
    protected abstract Task<string> RawContentsAsync();

    /// <summary>Runs <paramref name="sql"/> straight against the database, as someone with write access could.</summary>
    protected abstract Task ExecuteSqlAsync(string sql);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Entries_come_back_newest_first_with_every_field_intact()
    {
        var log = await OpenAsync();
        var first = Entry(Start.AddTicks(1_234_560), "service-token list", reason: null, requestIds: []);
        var second = Entry(Start.AddMinutes(1), "service-token show-access abc123def456", reason: "roles: viewer", requestIds: ["req-a", "req-b"]);

        await log.AppendAsync(first, CancellationToken.None);
        await log.AppendAsync(second, CancellationToken.None);
        var entries = await log.RecentAsync(10, CancellationToken.None);

        Assert.Equal(2, entries.Count);
        AssertSame(second, entries[0]);
        AssertSame(first, entries[1]);
    }

    [Fact]
    public async Task Entries_at_the_same_time_come_back_in_reverse_append_order()
    {
        var log = await OpenAsync();
        foreach (var name in new[] { "one", "two", "three" })
        {
            await log.AppendAsync(Entry(Start, name), CancellationToken.None);
        }

        var entries = await log.RecentAsync(10, CancellationToken.None);

        Assert.Equal(["three", "two", "one"], entries.Select(e => e.Command));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-1, 0)]
    [InlineData(2, 2)]
    [InlineData(50, 5)]
    public async Task The_limit_caps_what_is_read(int limit, int expected)
    {
        var log = await OpenAsync();
        for (var i = 0; i < 5; i++)
        {
            await log.AppendAsync(Entry(Start.AddSeconds(i), $"command {i}"), CancellationToken.None);
        }

        var entries = await log.RecentAsync(limit, CancellationToken.None);

        Assert.Equal(expected, entries.Count);
        if (expected > 0)
        {
            Assert.Equal("command 4", entries[0].Command);
        }
    }

    [Fact]
    public async Task Entries_survive_reopening()
    {
        await (await OpenAsync()).AppendAsync(Entry(Start, "before restart"), CancellationToken.None);

        var second = await OpenAsync();
        await second.AppendAsync(Entry(Start.AddSeconds(1), "after restart"), CancellationToken.None);

        Assert.Equal(["after restart", "before restart"], (await second.RecentAsync(10, CancellationToken.None)).Select(e => e.Command));
    }

    [Fact]
    public async Task Token_secrets_are_redacted_before_they_are_stored()
    {
        var log = await OpenAsync();
        const string secret = "pscale_tkn_0123456789abcdefSECRET";
        var entry = new AuditEntry(
            Start, "slack", "slack:channel:C1", "slack:user:U1",
            $"service-token list --service-token {secret}", "allowed", $"reason {secret}", $"error: {secret}", [$"req {secret}"]);

        await log.AppendAsync(entry, CancellationToken.None);
        var stored = (await log.RecentAsync(1, CancellationToken.None)).Single();

        Assert.Equal("service-token list --service-token pscale_tkn_[REDACTED]", stored.Command);
        Assert.Equal("reason pscale_tkn_[REDACTED]", stored.Reason);
        Assert.Equal("error: pscale_tkn_[REDACTED]", stored.Outcome);
        Assert.Equal(["req pscale_tkn_[REDACTED]"], stored.RequestIds);
        var raw = await RawContentsAsync();
        Assert.Contains("pscale_tkn_[REDACTED]", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789abcdefSECRET", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parallel_appends_from_two_instances_are_all_kept()
    {
        var logs = new[] { await OpenAsync(), await OpenAsync() };

        await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            Task.Run(() => logs[i % 2].AppendAsync(Entry(Start.AddMilliseconds(i), $"command {i}"), CancellationToken.None))));

        var entries = await logs[0].RecentAsync(1000, CancellationToken.None);
        Assert.Equal(100, entries.Count);
        Assert.Equal(100, entries.Select(e => e.Command).Distinct().Count());
        Assert.Equal("command 99", entries[0].Command);
    }

    [Fact]
    public async Task A_batch_is_stored_whole_in_order_and_secrets_in_it_are_redacted()
    {
        var log = await OpenAsync();
        var batch = Enumerable.Range(0, 50)
            .Select(i => Entry(Start.AddMilliseconds(i), i == 7 ? "service-token show abc pscale_tkn_" + new string('a', 43) : $"batched {i}"))
            .ToList();

        await log.AppendManyAsync(batch, CancellationToken.None);

        var read = await log.RecentAsync(100, CancellationToken.None);
        Assert.Equal(50, read.Count);
        Assert.Equal(batch.Select(e => e.Time).Reverse(), read.Select(e => e.Time));
        Assert.DoesNotContain(new string('a', 43), await RawContentsAsync());
    }

    [Fact]
    public async Task The_chain_verifies_after_concurrent_appends_from_two_instances()
    {
        var logs = new[] { await OpenAsync(), await OpenAsync() };

        await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            Task.Run(() => logs[i % 2].AppendAsync(Entry(Start.AddMilliseconds(i), $"command {i}", requestIds: ["r", $"{i}"]), CancellationToken.None))));
        await logs[1].AppendManyAsync([.. Enumerable.Range(0, 20).Select(i => Entry(Start.AddTicks(i * 10), $"batched {i}"))], CancellationToken.None);

        var report = await new AuditChainVerifier((IAuditChainStore)logs[0], pageSize: 7).VerifyAsync(CancellationToken.None);

        Assert.Null(report.Break);
        Assert.Equal(120, report.Checked);
        Assert.Equal(0, report.Unchained);
    }

    [Theory]
    [InlineData("UPDATE audit_entries SET command = 'service-token list' WHERE id = 5")]
    [InlineData("UPDATE audit_entries SET reason = NULL WHERE id = 5")]
    [InlineData("UPDATE audit_entries SET time_ms = time_ms + 1 WHERE id = 5")]
    public async Task A_row_changed_in_the_database_is_named(string update)
    {
        var log = await AppendTenAsync();

        await ExecuteSqlAsync(update);
        var report = await new AuditChainVerifier((IAuditChainStore)log, pageSize: 3).VerifyAsync(CancellationToken.None);

        Assert.NotNull(report.Break);
        Assert.Equal(5, report.Break.Id);
        Assert.Equal(AuditChainBreakKind.Changed, report.Break.Kind);
        Assert.Equal(4, report.Checked);
    }

    [Fact]
    public async Task A_deleted_row_is_detected_at_the_row_after_it()
    {
        var log = await AppendTenAsync();

        await ExecuteSqlAsync("DELETE FROM audit_entries WHERE id = 4");
        var report = await new AuditChainVerifier((IAuditChainStore)log).VerifyAsync(CancellationToken.None);

        Assert.Equal(5, report.Break?.Id);
        Assert.Equal(AuditChainBreakKind.Deleted, report.Break?.Kind);
    }

    [Fact]
    public async Task A_row_without_a_hash_inserted_after_the_chain_started_is_named()
    {
        var log = await AppendTenAsync();

        await ExecuteSqlAsync("""
            INSERT INTO audit_entries (time_ms, time_utc, platform, place, user_id, command, decision, reason, outcome, request_ids)
            SELECT time_ms, time_utc, platform, place, user_id, 'forged', decision, reason, outcome, request_ids FROM audit_entries WHERE id = 10
            """);
        var report = await new AuditChainVerifier((IAuditChainStore)log).VerifyAsync(CancellationToken.None);

        Assert.Equal(11, report.Break?.Id);
        Assert.Equal(AuditChainBreakKind.Inserted, report.Break?.Kind);
    }

    private async Task<IAuditLog> AppendTenAsync()
    {
        var log = await OpenAsync();
        for (var i = 0; i < 10; i++)
        {
            await log.AppendAsync(Entry(Start.AddSeconds(i), $"command {i}"), CancellationToken.None);
        }

        var intact = await new AuditChainVerifier((IAuditChainStore)log, pageSize: 3).VerifyAsync(CancellationToken.None);
        Assert.True(intact.Ok, intact.Break?.Detail);
        Assert.Equal(10, intact.Checked);
        return log;
    }

    protected static AuditEntry Entry(DateTimeOffset time, string command, string? reason = "roles: db-admin", IReadOnlyList<string>? requestIds = null) =>
        new(time, "slack", "slack:channel:C1", "slack:user:U1", command, "allowed", reason, "ok", requestIds ?? ["req-1"]);

    protected static void AssertSame(AuditEntry expected, AuditEntry actual)
    {
        Assert.Equal(expected with { RequestIds = [] }, actual with { RequestIds = [] });
        Assert.Equal(expected.RequestIds, actual.RequestIds);
        Assert.Equal(TimeSpan.Zero, actual.Time.Offset);
    }
}

public sealed class SqliteAuditLogContractTests : AuditLogContractTests
{
    private readonly string folder = Directory.CreateTempSubdirectory("audit-contract-").FullName;
    private readonly List<SqliteAuditLog> opened = [];

    private string DatabasePath => Path.Combine(folder, "audit.db");

    public override Task DisposeAsync()
    {
        opened.ForEach(log => log.Dispose());
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    protected override Task<IAuditLog> OpenAsync()
    {
        var log = new SqliteAuditLog(DatabasePath, new FakeTimeProvider(Start), NullLogger<SqliteAuditLog>.Instance);
        opened.Add(log);
        return Task.FromResult<IAuditLog>(log);
    }

    protected override async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task<string> RawContentsAsync()
    {
        // The bytes of every file SQLite wrote (database, WAL), not what a query returns.
        opened.ForEach(log => log.Dispose());
        SqliteConnection.ClearAllPools();
        var contents = await Task.WhenAll(Directory.GetFiles(folder).Select(f => File.ReadAllBytesAsync(f)));
        return string.Concat(contents.Select(System.Text.Encoding.UTF8.GetString));
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditLogContractTests(PostgresCluster cluster) : AuditLogContractTests
{
    private readonly List<NpgsqlDataSource> dataSources = [];
    private string connectionString = "";

    public override async Task InitializeAsync() => connectionString = await cluster.CreateDatabaseAsync("audit");

    public override async Task DisposeAsync()
    {
        foreach (var dataSource in dataSources)
        {
            await dataSource.DisposeAsync();
        }
    }

    protected override Task<IAuditLog> OpenAsync()
    {
        // Each instance its own pool, as two replicas would have.
        var dataSource = NpgsqlDataSource.Create(connectionString);
        dataSources.Add(dataSource);
        return Task.FromResult<IAuditLog>(new PostgresAuditLog(dataSource, new FakeTimeProvider(Start)));
    }

    protected override async Task ExecuteSqlAsync(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task<string> RawContentsAsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand("SELECT string_agg(t::text, '\n') FROM audit_entries t");
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
