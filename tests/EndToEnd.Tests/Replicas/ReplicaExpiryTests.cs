using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using PscaleBot.Bot.Access;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Model;
using PscaleBot.EndToEnd.Tests.Support;
using PscaleBot.Sandbox;
using PscaleBot.TestSupport.Postgres;
using Xunit.Abstractions;

namespace PscaleBot.EndToEnd.Tests.Replicas;

/// <summary>
/// Issue 10, section 3: three real bot processes on one throwaway PostgreSQL database and one sandbox (rate limited
/// to PlanetScale's 600 calls a minute). A storm of grants falls due at once. Every grant must be revoked exactly once
/// (one DELETE per token at the sandbox), and no call refused with 429. The grant count is
/// <c>PSCALE_REPLICAS_GRANTS</c> (default 90, sized for CI on two cores; the 1,000 runs with that set).
/// </summary>
[Trait("Category", "Replicas")]
public sealed class ReplicaExpiryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Database = "prod";
    private const string Permission = "read_branch";
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);
    private readonly string folder = Directory.CreateTempSubdirectory("pscale-replicas-").FullName;
    private readonly PostgresCluster cluster = new();
    private readonly List<BotReplica> replicas = [];
    private SandboxServer? sandbox;
    private NpgsqlDataSource? dataSource;

    public async Task InitializeAsync()
    {
        await cluster.InitializeAsync();
        dataSource = NpgsqlDataSource.Create(await cluster.CreateDatabaseAsync("replicas"));
        sandbox = await SandboxServer.StartAsync(new SandboxOptions { Faults = { RateLimitPerMinute = 0 } }, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        foreach (var replica in replicas)
        {
            await replica.DisposeAsync();
        }

        if (sandbox is not null)
        {
            await sandbox.DisposeAsync();
        }

        if (dataSource is not null)
        {
            await dataSource.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        await cluster.DisposeAsync();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A log still closing: the folder is in /tmp.
        }
    }

    [Fact]
    public async Task A_storm_of_due_grants_is_revoked_once_each_across_three_replicas()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("PSCALE_REPLICAS_GRANTS"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 90;
        using var admin = Admin();

        // Each grant on its own token, so "revoked exactly once" is exactly one DELETE on that token's route.
        var tokens = new string[count];
        using (var api = new SandboxApi(sandbox!))
        {
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            {
                tokens[i] = await api.CreateTokenAsync($"storm-{i:00000}");
                using var added = await admin.PostAsJsonAsync($"/v1/organizations/acme/service-tokens/{tokens[i]}/access", new { database = Database, access = new[] { Permission } });
                added.EnsureSuccessStatusCode();
            });
        }

        var store = new PostgresAccessStore(dataSource!);
        await store.MigrateAsync(CancellationToken.None);

        // PlanetScale's budget, and a little latency so a sweep lasts long enough to be interrupted.
        using (var faults = await admin.PutAsJsonAsync("/_sandbox/faults", new { rateLimitPerMinute = 600, latencyMs = 150 }))
        {
            faults.EnsureSuccessStatusCode();
        }

        var clock = Stopwatch.StartNew();
        foreach (var name in new[] { "r1", "r2", "r3" })
        {
            replicas.Add(BotReplica.Start(name, Settings(), folder));
        }

        await Task.WhenAll(replicas.Select(r => r.WaitUntilReadyAsync(TimeSpan.FromSeconds(120))));
        output.WriteLine($"three replicas ready in {clock.Elapsed.TotalSeconds:0.0} s");
        using (var reset = await admin.DeleteAsync("/_sandbox/calls"))
        {
            reset.EnsureSuccessStatusCode();
        }

        // The storm: every grant falls due at the same moment, a few seconds after all are stored.
        var due = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(4);
        for (var i = 0; i < count; i++)
        {
            await store.InsertGrantAsync(Grant(i, tokens[i], due), CancellationToken.None);
        }

        Assert.Equal(count, await CountAsync("ended_at IS NULL"));
        await Task.Delay(due - DateTimeOffset.UtcNow is { Ticks: > 0 } left ? left : TimeSpan.Zero);
        var storm = Stopwatch.StartNew();

        await EventuallyAsync(async () => await CountAsync("ended_at IS NULL") == 0, TimeSpan.FromSeconds(150), "every grant is ended");
        var finished = storm.Elapsed;

        var calls = await CallsAsync(admin);
        var deletes = calls.ByRoute.Where(r => r.Key.StartsWith("DELETE ", StringComparison.Ordinal)).ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
        var bound = TimeSpan.FromMinutes(count / 600.0);
        output.WriteLine($"{count} grants: {deletes.Values.Sum()} DELETE calls over {deletes.Count} tokens, {calls.Total} PlanetScale calls, " +
            $"{calls.TooManyRequests} answered 429; finished {finished.TotalSeconds:0.0} s after falling due (rate-limit bound {bound.TotalSeconds:0.0} s); " +
            $"ended per replica: {await EndedByAsync()}");

        // Exactly once: one DELETE per token, and the permission is gone from every token.
        Assert.Equal(count, deletes.Count);
        Assert.All(tokens, t => Assert.Equal(1, deletes.GetValueOrDefault($"DELETE /v1/organizations/acme/service-tokens/{t}/access")));
        Assert.Equal(0, calls.TooManyRequests);
        Assert.Equal(count, await CountAsync("ended_at IS NOT NULL AND claimed_by IS NULL"));
        using (var api = new SandboxApi(sandbox!))
        {
            foreach (var token in tokens)
            {
                Assert.DoesNotContain(await api.GrantsAsync(token), g => g.ResourceName == Database && g.Accesses.Contains(Permission));
            }
        }
    }

    private Dictionary<string, string> Settings()
    {
        var policy = Path.Combine(folder, "policy.yaml");
        File.WriteAllText(policy, Policies.ShellAdmin);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Storage:Provider"] = "Postgres",
            ["ConnectionStrings:Postgres"] = dataSource!.ConnectionString,
            ["PlanetScale:BaseUrl"] = sandbox!.BaseAddress.ToString(),
            ["PlanetScale:ServiceTokenId"] = sandbox.ServiceTokenId,
            ["PlanetScale:ServiceToken"] = sandbox.ServiceToken,
            ["PlanetScale:DefaultOrganization"] = "acme",
            ["PlanetScale:UseSandbox"] = "false",
            ["Policy:Path"] = policy,
            ["AccessRequests:RevokeClaimDuration"] = Lease.ToString("c", CultureInfo.InvariantCulture),
            ["AccessRequests:MaxIdleWait"] = "00:00:01",
            ["Logging:LogLevel:Default"] = "Warning",
        };
    }

    private static AccessGrant Grant(int i, string token, DateTimeOffset due) => new(
        $"g{i:000000}",
        new AccessTarget("acme", token, Database, [Permission]),
        [Permission],
        new AccessRequester("slack:user:USTORM", "Storm", ChatPlatform.Slack, "slack:channel:CSTORM"),
        "replica storm",
        null,
        null,
        [],
        false,
        due - TimeSpan.FromHours(1),
        due);

    private HttpClient Admin()
    {
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(sandbox!.BaseAddress.GetLeftPart(UriPartial.Authority)), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", sandbox.AccessToken);
        return client;
    }

    private static async Task<(long Total, long TooManyRequests, Dictionary<string, long> ByRoute)> CallsAsync(HttpClient admin)
    {
        using var document = JsonDocument.Parse(await admin.GetStringAsync("/_sandbox/calls"));
        var root = document.RootElement;
        var byStatus = root.GetProperty("byStatus").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);
        var byRoute = root.GetProperty("byRoute").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);
        return (root.GetProperty("total").GetInt64(), byStatus.GetValueOrDefault("429"), byRoute);
    }

    private async Task<List<string>> ClaimedOpenAsync(string replica)
    {
        await using var command = dataSource!.CreateCommand("SELECT id FROM access_grants WHERE claimed_by = @replica AND ended_at IS NULL");
        command.Parameters.AddWithValue("replica", replica);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private async Task<string> EndedByAsync()
    {
        await using var command = dataSource!.CreateCommand(
            "SELECT string_agg(who || ' ' || n, ', ' ORDER BY who) FROM (SELECT coalesce(data->>'endedBy', data->>'EndedBy') AS who, count(*) AS n FROM access_grants GROUP BY 1) s");
        return (await command.ExecuteScalarAsync())?.ToString() ?? "";
    }

    private async Task<string> StateAsync()
    {
        await using var command = dataSource!.CreateCommand(
            "SELECT string_agg(state || '/' || coalesce(claimed_by, '-') || ': ' || n, ', ') FROM (SELECT state, claimed_by, count(*) AS n FROM access_grants GROUP BY 1, 2) s");
        return $"Grants by state/claim: {await command.ExecuteScalarAsync()}.";
    }

    private async Task<long> CountAsync(string where)
    {
        await using var command = dataSource!.CreateCommand($"SELECT count(*) FROM access_grants WHERE {where}");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Not seen within {timeout.TotalSeconds:0} s: {what}. {await StateAsync()}\n" + string.Join("\n---\n", replicas.Select(r => $"{r.Name}:\n{r.Tail()}")));
            }

            foreach (var replica in replicas.Where(r => r.HasExited && !r.Killed))
            {
                throw new InvalidOperationException($"Replica {replica.Name} died:\n{replica.Tail()}");
            }

            await Task.Delay(25);
        }
    }
}
