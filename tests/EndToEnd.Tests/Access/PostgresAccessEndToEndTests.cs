using Npgsql;
using PscaleBot.Commands.Access;
using PscaleBot.TestSupport.Postgres;
using static PscaleBot.EndToEnd.Tests.Access.AccessScenario;

namespace PscaleBot.EndToEnd.Tests.Access;

/// <summary>One throwaway PostgreSQL server for every test of this assembly that needs one.</summary>
[CollectionDefinition(PostgresCollection.Name)]
public sealed class PostgresCollectionDefinition : PostgresCollection;

/// <summary>
/// Issue 10 §1: the whole bot with <c>Storage:Provider=Postgres</c>. It migrates the database at start, reports it
/// in <c>/readyz</c>, runs an access request through approval and expiry against the sandbox with every row in
/// PostgreSQL and no SQLite file written, and a restart over the same database loses nothing.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAccessEndToEndTests(PostgresCluster cluster) : IDisposable
{
    private readonly string dataDirectory = Directory.CreateTempSubdirectory("pscale-bot-pg-e2e-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Request_approve_expire_on_postgres_with_readiness_and_a_restart_that_loses_nothing()
    {
        var connectionString = await cluster.CreateDatabaseAsync("e2e");
        var settings = new Dictionary<string, string?> { ["Storage:Provider"] = "Postgres", ["ConnectionStrings:Postgres"] = connectionString };
        var time = NewClock();
        string pendingId, grantId;
        await using (var before = await AccessScenario.StartAsync(time, dataDirectory, persistSandbox: true, settings: settings))
        {
            using var client = before.Bot.CreateClient();
            var ready = await client.GetAsync("/readyz");
            Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);

            var requestId = await before.RequestAsync(Oliver, "connect_production_branch", "1h");
            Assert.StartsWith("Granted g-", Text(await before.RunAsync(Ada, $"access approve {requestId}")));
            Assert.Contains("connect_production_branch", await before.HeldOnAsync());
            grantId = (await before.ActiveGrantOfAsync(Oliver)).Id;

            time.Advance(TimeSpan.FromHours(1));
            await before.EventuallyAsync(
                async () => (await before.Store.GetGrantAsync(grantId, default))!.State == AccessGrantState.Expired,
                "the grant expires at its end");
            Assert.DoesNotContain("connect_production_branch", await before.HeldOnAsync());
            pendingId = await before.RequestAsync(Oliver, "connect_production_branch", "1h");
        }

        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            Assert.Equal("Expired", await ScalarAsync(dataSource, $"SELECT state FROM access_grants WHERE id = '{grantId}'"));
            Assert.Equal(1L, await ScalarAsync(dataSource, $"SELECT count(*) FROM audit_entries WHERE decision = '{AccessTransitions.Expired}'"));
            Assert.Equal("access 1,access 2,audit 1,audit 2,audit 3,delivery_ledger 1,planetscale_budget 1,planetscale_budget 2,slack_access_posts 1,teams_approval_cards 1,teams_conversations 1,token_retirements 1", await ScalarAsync(dataSource, "SELECT string_agg(store || ' ' || version, ',' ORDER BY store, version) FROM schema_migrations"));
        }

        Assert.Empty(Directory.GetFiles(dataDirectory, "*.db*"));

        // A restart over the same database: the pending request is still there to approve, the ended grant still ended.
        await using var after = await AccessScenario.StartAsync(time, dataDirectory, persistSandbox: true, settings: settings);
        Assert.Equal(AccessRequestState.Pending, (await after.Store.GetRequestAsync(pendingId, default))!.State);
        Assert.Equal(AccessGrantState.Expired, (await after.Store.GetGrantAsync(grantId, default))!.State);
        Assert.StartsWith("Granted g-", Text(await after.RunAsync(Ben, $"access approve {pendingId}")));
    }

    private static async Task<object?> ScalarAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return await command.ExecuteScalarAsync();
    }
}
