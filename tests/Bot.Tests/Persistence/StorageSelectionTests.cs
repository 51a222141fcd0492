using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;
using PscaleBot.Bot.Access;
using PscaleBot.Bot.Hosting;
using PscaleBot.Bot.PlanetScale;
using PscaleBot.Bot.Persistence;
using PscaleBot.Bot.Slack;
using PscaleBot.Bot.Slack.Access;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Audit;
using PscaleBot.TestSupport.Postgres;

namespace PscaleBot.Bot.Tests.Persistence;

/// <summary><c>Storage:Provider</c> chooses every store this slice built; the default stays SQLite.</summary>
[Collection(PostgresCollection.Name)]
public sealed class StorageSelectionTests(PostgresCluster cluster) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("storage-selection-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void Without_a_provider_every_store_is_sqlite()
    {
        using var host = Build([]);
        Assert.IsType<SqliteAuditLog>(host.Services.GetRequiredService<IAuditLog>());
        Assert.IsType<SqliteAccessStore>(host.Services.GetRequiredService<IAccessStore>());
        Assert.IsType<SqliteSlackAccessPostStore>(host.Services.GetRequiredService<ISlackAccessPostStore>());
        Assert.IsType<TokenOperationLock>(host.Services.GetRequiredService<ITokenChangeLock>());
    }

    [Fact]
    public async Task With_postgres_every_store_is_postgres_migrated_at_start_and_the_database_is_ready()
    {
        using var host = Build(new()
        {
            ["Storage:Provider"] = "Postgres",
            ["ConnectionStrings:Postgres"] = await cluster.CreateDatabaseAsync("selection"),
        });

        Assert.Empty(await StartupProblems.FindAsync(host.Services));
        Assert.IsType<PostgresAuditLog>(host.Services.GetRequiredService<IAuditLog>());
        Assert.IsType<PostgresAccessStore>(host.Services.GetRequiredService<IAccessStore>());
        Assert.IsType<PostgresSlackAccessPostStore>(host.Services.GetRequiredService<ISlackAccessPostStore>());
        Assert.IsType<PostgresTokenChangeLock>(host.Services.GetRequiredService<ITokenChangeLock>());
        await using var command = host.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SELECT string_agg(store || ' ' || version, ',' ORDER BY store, version) FROM schema_migrations");
        Assert.Equal("access 1,access 2,audit 1,audit 2,audit 3,slack_access_posts 1,token_retirements 1", await command.ExecuteScalarAsync());
        var database = (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Name == "database")).Entries["database"];
        Assert.Equal(HealthStatus.Healthy, database.Status);
        Assert.Empty(Directory.GetFiles(folder, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task With_postgres_the_shared_planetscale_budget_table_is_made_at_start_before_any_call()
    {
        using var host = Build(new()
        {
            ["Storage:Provider"] = "Postgres",
            ["ConnectionStrings:Postgres"] = await cluster.CreateDatabaseAsync("budget"),
        }, b => b.AddSharedPlanetScaleBudget());

        Assert.Empty(await StartupProblems.FindAsync(host.Services));

        await using var command = host.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SELECT to_regclass('planetscale_budget') IS NOT NULL");
        Assert.True((bool)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task An_unreachable_database_is_one_start_up_sentence_per_setting_and_readiness_says_why()
    {
        using var host = Build(new()
        {
            ["Storage:Provider"] = "Postgres",
            ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Database=bot;Username=bot;Password=hunter2-secret;Timeout=3",
        });

        var problem = Assert.Single(await StartupProblems.FindAsync(host.Services));
        Assert.StartsWith("ConnectionStrings:Postgres (127.0.0.1:1/bot) cannot be used: the PostgreSQL server cannot be reached (", problem, StringComparison.Ordinal);
        var database = (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Name == "database")).Entries["database"];
        Assert.Equal(HealthStatus.Unhealthy, database.Status);
        Assert.StartsWith("The database (ConnectionStrings:Postgres, 127.0.0.1:1/bot) cannot be used: the PostgreSQL server cannot be reached", database.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", problem + database.Description, StringComparison.Ordinal);
    }

    private IHost Build(Dictionary<string, string?> settings, Action<HostApplicationBuilder>? more = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Audit:Path"] = Path.Combine(folder, "audit.db"),
            ["AccessRequests:StorePath"] = Path.Combine(folder, "access.db"),
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddAudit();
        builder.AddAccessRequests();
        builder.Services.AddSlackAccessRequests();
        builder.Services.AddHealthChecks();
        more?.Invoke(builder);
        return builder.Build();
    }
}
