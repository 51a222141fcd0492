using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PscaleBot.Bot.Persistence;
using PscaleBot.Commands.Audit;

namespace PscaleBot.Bot.Tests.Persistence;

/// <summary>What only the SQLite log does (its file, its precision, its registration); the shared promises are <see cref="AuditLogContractTests"/>.</summary>
public sealed class SqliteAuditLogTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private readonly string folder = Directory.CreateTempSubdirectory("audit-tests-").FullName;
    private readonly List<SqliteAuditLog> opened = [];

    private string DatabasePath => Path.Combine(folder, "nested", "audit.db");

    public void Dispose()
    {
        foreach (var log in opened)
        {
            log.Dispose();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Times_keep_whole_microseconds_the_precision_both_engines_store_and_the_chain_hashes()
    {
        var log = Open();
        var first = Entry(Start.AddTicks(1234567), "service-token list", reason: null, requestIds: []);
        var second = Entry(Start.AddMinutes(1), "service-token show-access abc123def456", reason: "roles: viewer", requestIds: ["req-a", "req-b"]);

        await log.AppendAsync(first, CancellationToken.None);
        await log.AppendAsync(second, CancellationToken.None);
        var entries = await log.RecentAsync(10, CancellationToken.None);

        Assert.Equal(2, entries.Count);
        AssertSame(second, entries[0]);
        AssertSame(first with { Time = Start.AddTicks(1234560) }, entries[1]);
    }

    [Fact]
    public async Task Entries_survive_reopening_and_the_schema_is_applied_once()
    {
        var first = Open();
        await first.AppendAsync(Entry(Start, "before restart"), CancellationToken.None);
        first.Dispose();
        opened.Remove(first);

        var second = Open();
        await second.AppendAsync(Entry(Start.AddSeconds(1), "after restart"), CancellationToken.None);

        Assert.Equal(["after restart", "before restart"], (await second.RecentAsync(10, CancellationToken.None)).Select(e => e.Command));
        Assert.Equal((long)SqliteAuditLog.SchemaVersion, Scalar("SELECT COUNT(*) FROM schema_migrations WHERE store = 'audit'"));
        Assert.Equal((long)SqliteAuditLog.SchemaVersion, Scalar("SELECT MAX(version) FROM schema_migrations WHERE store = 'audit'"));
    }

    [Fact]
    public async Task The_file_uses_WAL_and_an_index_on_time()
    {
        var log = Open();
        await log.AppendAsync(Entry(Start, "list"), CancellationToken.None);

        Assert.Equal("wal", Scalar("PRAGMA journal_mode"));
        Assert.Equal("ix_audit_entries_time", Scalar("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_entries'"));
    }

    [Fact]
    public async Task A_database_from_a_newer_bot_is_refused_with_a_clear_message()
    {
        var log = Open();
        await log.AppendAsync(Entry(Start, "list"), CancellationToken.None);
        Execute($"INSERT INTO schema_migrations (store, version, name, applied_at) VALUES ('audit', {SqliteAuditLog.SchemaVersion + 1}, 'later', 'later')");

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => Open().RecentAsync(1, CancellationToken.None));

        Assert.Contains("newer than this bot's", exception.Message);
    }

    [Fact]
    public async Task Add_audit_resolves_a_relative_path_against_the_content_root()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Audit:Path"] = "state/audit.db" });
        builder.AddAudit();
        using var host = builder.Build();

        var log = Assert.IsType<SqliteAuditLog>(host.Services.GetRequiredService<IAuditLog>());
        await log.AppendAsync(Entry(Start, "list"), CancellationToken.None);

        Assert.Equal(Path.Combine(folder, "state", "audit.db"), log.DatabasePath);
        Assert.True(File.Exists(log.DatabasePath));
    }

    [Fact]
    public void Add_audit_refuses_to_start_without_a_path()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Audit:Path"] = "" });
        builder.AddAudit();
        using var host = builder.Build();

        var exception = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<AuditOptions>>().Value);

        Assert.Contains("Audit:Path is required", exception.Message);
    }

    [Fact]
    public async Task A_batch_is_written_in_one_transaction_all_or_nothing()
    {
        var log = Open();
        var batch = Enumerable.Range(0, 50).Select(i => Entry(Start.AddSeconds(i), $"service-token show-access tok{i} pscale_tkn_secret{i}")).ToList();
        await log.AppendManyAsync(batch, CancellationToken.None);
        var stored = await log.RecentAsync(100, CancellationToken.None);
        Assert.Equal(50, stored.Count);
        Assert.All(stored, e => Assert.DoesNotContain("secret", e.Command, StringComparison.Ordinal));

        // The second entry breaks the insert after the first one ran: the transaction keeps neither.
        var broken = new[] { Entry(Start.AddHours(1), "kept?"), Entry(Start.AddHours(1), "broken") with { Platform = null! } };
        await Assert.ThrowsAnyAsync<Exception>(() => log.AppendManyAsync(broken, CancellationToken.None));
        Assert.DoesNotContain(await log.RecentAsync(100, CancellationToken.None), e => e.Command == "kept?");
    }

    private SqliteAuditLog Open()
    {
        var log = new SqliteAuditLog(DatabasePath, new FakeTimeProvider(Start), NullLogger<SqliteAuditLog>.Instance);
        opened.Add(log);
        return log;
    }

    private static AuditEntry Entry(DateTimeOffset time, string command, string? reason = "roles: db-admin", IReadOnlyList<string>? requestIds = null) =>
        new(time, "slack", "slack:channel:C1", "slack:user:U1", command, "allowed", reason, "ok", requestIds ?? ["req-1"]);

    private static void AssertSame(AuditEntry expected, AuditEntry actual)
    {
        Assert.Equal(expected with { RequestIds = [] }, actual with { RequestIds = [] });
        Assert.Equal(expected.RequestIds, actual.RequestIds);
        Assert.Equal(TimeSpan.Zero, actual.Time.Offset);
    }

    private object? Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
