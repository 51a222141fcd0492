using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PscaleBot.Bot.Hosting;
using PscaleBot.Bot.Persistence;

namespace PscaleBot.Bot.Tests.Persistence;

/// <summary><c>Storage:Provider</c> and <c>ConnectionStrings:Postgres</c>, checked at start: one sentence per mistake, never the password.</summary>
public sealed class StorageOptionsTests
{
    [Fact]
    public void Sqlite_is_the_default_and_needs_nothing_else()
    {
        using var host = Host([]);
        Assert.Empty(StartupProblems.Find(host.Services));
        Assert.False(host.Services.UsesPostgres());
    }

    [Fact]
    public void Postgres_without_a_connection_string_is_one_sentence_naming_both_settings()
    {
        using var host = Host(new() { ["Storage:Provider"] = "Postgres" });
        var problem = Assert.Single(StartupProblems.Find(host.Services));
        Assert.StartsWith("Storage:Provider is Postgres but ConnectionStrings:Postgres is empty: set it (environment ConnectionStrings__Postgres)", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_provider_is_named_with_the_choices()
    {
        using var host = Host(new() { ["Storage:Provider"] = "mysql" });
        Assert.Equal(
            "Storage:Provider is 'mysql': use Sqlite (the default, for one process) or Postgres (several replicas, with ConnectionStrings:Postgres).",
            Assert.Single(StartupProblems.Find(host.Services)));
    }

    [Theory]
    [InlineData("Host=db;Password=hunter2-secret;Port=notaport")]
    [InlineData("Host=db;Password=hunter2-secret;Frobnicate=hunter2-secret")]
    [InlineData("Password=hunter2-secret;Database=bot")]
    public void A_bad_connection_string_is_one_sentence_without_its_password(string connectionString)
    {
        using var host = Host(new() { ["Storage:Provider"] = "postgres", ["ConnectionStrings:Postgres"] = connectionString });
        var problem = Assert.Single(StartupProblems.Find(host.Services));
        Assert.StartsWith("ConnectionStrings:Postgres cannot be used: ", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_usable_connection_string_passes_and_describes_the_database_without_credentials()
    {
        using var host = Host(new() { ["Storage:Provider"] = "Postgres", ["ConnectionStrings:Postgres"] = "Host=db.internal;Port=6432;Database=bot;Username=u;Password=hunter2-secret" });
        Assert.Empty(StartupProblems.Find(host.Services));
        Assert.True(host.Services.UsesPostgres());
        Assert.Equal("db.internal:6432/bot", PostgresDatabase.Describe(host.Services.GetRequiredService<Npgsql.NpgsqlDataSource>()));
    }

    private static IHost Host(Dictionary<string, string?> settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddStorage();
        return builder.Build();
    }
}
