using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using PscaleBot.Bot.Hosting;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Results.Rendering;
using PscaleBot.TestSupport.Postgres;

namespace PscaleBot.Bot.Tests.Audit;

/// <summary>
/// <c>audit verify</c> through the real pipeline (grammar, policy, handler, renderer) over the real store of each
/// engine: intact after real commands, then a row changed with SQL straight in the database is named.
/// </summary>
public abstract class AuditVerifyCommandTests : IAsyncLifetime
{
    private const string Policy = """
        roles:
          db-admin:
            commands: ["*"]
            databases: ["*"]
            permissions: ["*"]
          auditor:
            commands: ["audit-verify"]
        bindings:
          - where: shell
            who: "shell:user:alice"
            roles: [db-admin]
          - where: shell
            who: "shell:user:sec"
            roles: [auditor]
        """;

    protected readonly string Folder = Directory.CreateTempSubdirectory("audit-verify-").FullName;
    private IHost? host;

    /// <summary>The storage settings of the engine under test.</summary>
    protected abstract Task<Dictionary<string, string?>> StorageAsync();

    /// <summary>Runs <paramref name="sql"/> against the audit database as someone with write access could.</summary>
    protected abstract Task ExecuteSqlAsync(string sql);

    public async Task InitializeAsync()
    {
        var policyPath = Path.Combine(Folder, "policy.yaml");
        await File.WriteAllTextAsync(policyPath, Policy);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = Folder, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Policy:Path"] = policyPath,
            ["Audit:Path"] = Path.Combine(Folder, "audit.db"),
            ["PlanetScale:UseSandbox"] = "true",
        });
        builder.Configuration.AddInMemoryCollection(await StorageAsync());
        builder.AddEmbeddedSandbox(whenNoCredentials: true);
        builder.AddCommandCore();
        host = builder.Build();
        Assert.Empty(await StartupProblems.FindAsync(host.Services));
        await host.StartAsync();
    }

    public virtual async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.StopAsync();
            host.Dispose();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }

    [Fact]
    public async Task An_intact_chain_is_reported_then_a_row_changed_with_sql_is_named_in_text_and_json()
    {
        foreach (var line in new[] { "service-token list", "whoami", "service-token show-access ci7deploy0a1", "audit --limit 5" })
        {
            Assert.False((await RunAsync("alice", line)).IsError, line);
        }

        var intact = await TextAsync("sec", "audit verify");
        Assert.Equal("Audit chain intact: 4 rows (0 unchained pre-chain rows).", intact);

        // Row 5 is the first verification itself; row 2 (whoami) is rewritten to hide who ran it.
        await ExecuteSqlAsync("UPDATE audit_entries SET user_id = 'shell:user:nobody' WHERE id = 2");
        var broken = await TextAsync("sec", "audit verify");
        Assert.StartsWith("Audit chain broken at row 2 (", broken, StringComparison.Ordinal);
        Assert.EndsWith("its contents no longer match its hash (changed). 1 row before it verified; nothing after it was checked.", broken, StringComparison.Ordinal);

        using var json = JsonDocument.Parse(await TextAsync("sec", "audit verify --format json"));
        Assert.Equal("broken", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("first_bad_row").GetProperty("id").GetInt64());
        Assert.Equal("changed", json.RootElement.GetProperty("first_bad_row").GetProperty("problem").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("checked").GetInt64());
    }

    [Fact]
    public async Task The_auditor_role_may_verify_but_not_read_the_entries()
    {
        Assert.StartsWith("Audit chain intact: 0 rows", await TextAsync("sec", "audit verify"), StringComparison.Ordinal);

        var read = await RunAsync("sec", "audit");

        Assert.True(read.IsError);
    }

    private async Task<string> TextAsync(string user, string line)
    {
        var response = await RunAsync(user, line);
        Assert.False(response.IsError, line);
        return host!.Services.GetRequiredService<CommandResponseTextRenderer>().Render(response).Trim();
    }

    private async Task<CommandResponse> RunAsync(string user, string line)
    {
        await using var scope = host!.Services.CreateAsyncScope();
        var caller = new ChatIdentity(ChatPlatform.Shell, "shell:user:" + user, [], user);
        return await scope.ServiceProvider.GetRequiredService<ICommandPipeline>().RunAsync(new ChatRequest(caller, ChatPlace.Shell, line), CancellationToken.None);
    }
}

public sealed class SqliteAuditVerifyCommandTests : AuditVerifyCommandTests
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => Task.FromResult(new Dictionary<string, string?>());

    protected override async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(Folder, "audit.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditVerifyCommandTests(PostgresCluster cluster) : AuditVerifyCommandTests
{
    private string connectionString = "";

    protected override async Task<Dictionary<string, string?>> StorageAsync()
    {
        connectionString = await cluster.CreateDatabaseAsync("verify");
        return new() { ["Storage:Provider"] = "Postgres", ["ConnectionStrings:Postgres"] = connectionString };
    }

    protected override async Task ExecuteSqlAsync(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
