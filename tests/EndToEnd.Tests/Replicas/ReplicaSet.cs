using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using PscaleBot.Bot.Access;
using PscaleBot.Bot.Tests.Slack.Fakes;
using PscaleBot.Bot.Tests.Teams.Support;
using PscaleBot.EndToEnd.Tests.Slack;
using PscaleBot.Sandbox;
using PscaleBot.TestSupport.Postgres;

namespace PscaleBot.EndToEnd.Tests.Replicas;

/// <summary>The xunit collection of the replica tests: they share one <see cref="ReplicaSet"/> and run one after another.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReplicaCollection : ICollectionFixture<ReplicaSet>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Replicas";
}

/// <summary>
/// Issue 10, section 3: three real bot processes (r1, r2, r3) on one throwaway PostgreSQL database, one sandbox, one
/// fake Slack (HTTP mode, signed requests) and one fake Teams Bot Connector, started once for every replica test (CI
/// time). Teams runs in its loopback development mode (no App ID, so no Entra token is needed to reply; that mode is
/// refused outside Development, so the replicas run in Development). Each test calls <see cref="EnsureRunningAsync"/>
/// first, which replaces a replica an earlier test killed.
/// </summary>
public sealed class ReplicaSet : IAsyncLifetime
{
    /// <summary>The replicas' revocation lease (<c>AccessRequests:RevokeClaimDuration</c>).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);

    private static readonly string[] Names = ["r1", "r2", "r3"];
    private readonly PostgresCluster cluster = new();
    private readonly List<BotReplica> replicas = [];

    /// <summary>Logs, the policy file.</summary>
    public string Folder { get; } = Directory.CreateTempSubdirectory("pscale-replicas-").FullName;

    /// <summary>The shared database.</summary>
    public NpgsqlDataSource Database { get; private set; } = null!;

    /// <summary>The replicas' store, read directly.</summary>
    public PostgresAccessStore Store { get; private set; } = null!;

    /// <summary>PlanetScale's stand-in.</summary>
    public SandboxServer Sandbox { get; private set; } = null!;

    /// <summary>Slack's Web API and response_url endpoints.</summary>
    public FakeSlackServer Slack { get; private set; } = null!;

    /// <summary>The Teams Bot Connector.</summary>
    public FakeConnectorServer Connector { get; private set; } = null!;

    /// <summary>The running replicas, r1..r3 in order.</summary>
    public IReadOnlyList<BotReplica> Replicas => replicas;

    /// <summary>Milliseconds the last start of all three took until every one answered /readyz.</summary>
    public TimeSpan LastStart { get; private set; }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await cluster.InitializeAsync();
        Database = NpgsqlDataSource.Create(await cluster.CreateDatabaseAsync("replicas"));
        Store = new PostgresAccessStore(Database);
        Sandbox = await SandboxServer.StartAsync(new SandboxOptions { Faults = { RateLimitPerMinute = 0 } }, CancellationToken.None);
        Slack = await FakeSlackServer.StartAsync();
        Slack.AuthTestJson = $$"""{"ok":true,"team":"Acme","team_id":"{{SlackPeople.Team}}","user_id":"U0BOT","is_enterprise_install":false}""";
        Connector = await FakeConnectorServer.StartAsync();
        File.WriteAllText(Path.Combine(Folder, "policy.yaml"), ReplicaPolicy.Yaml);
        await StartAllAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        foreach (var replica in replicas)
        {
            await replica.DisposeAsync();
        }

        await Connector.DisposeAsync();
        await Slack.DisposeAsync();
        await Sandbox.DisposeAsync();
        await Database.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await cluster.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A log still closing: the folder is in /tmp.
        }
    }

    /// <summary>Starts a fresh process for every replica that is not running (killed or stopped by an earlier test).</summary>
    public async Task EnsureRunningAsync()
    {
        for (var i = 0; i < replicas.Count; i++)
        {
            if (replicas[i].HasExited)
            {
                await replicas[i].DisposeAsync();
                replicas[i] = BotReplica.Start(Names[i], Settings(), Folder);
            }
        }

        await Task.WhenAll(replicas.Select(r => r.WaitUntilReadyAsync(TimeSpan.FromSeconds(120))));
    }

    /// <summary>Stops all three with SIGTERM (graceful), then starts three new processes on the same database.</summary>
    public async Task RestartAllAsync()
    {
        await Task.WhenAll(replicas.Select(r => r.StopAsync(TimeSpan.FromSeconds(60))));
        foreach (var replica in replicas)
        {
            await replica.DisposeAsync();
        }

        replicas.Clear();
        await StartAllAsync();
    }

    /// <summary>Sets the sandbox's rate limit and latency for the next step.</summary>
    public async Task SetSandboxAsync(int rateLimitPerMinute, int latencyMs)
    {
        using var admin = Admin();
        using var faults = await admin.PutAsJsonAsync("/_sandbox/faults", new { rateLimitPerMinute, latencyMs });
        faults.EnsureSuccessStatusCode();
    }

    /// <summary>Forgets the PlanetScale calls counted so far.</summary>
    public async Task ResetCallsAsync()
    {
        using var admin = Admin();
        using var reset = await admin.DeleteAsync("/_sandbox/calls");
        reset.EnsureSuccessStatusCode();
    }

    /// <summary>The PlanetScale calls counted since the last reset: in total, answered 429, and by <c>METHOD path</c>.</summary>
    public async Task<SandboxCalls> CallsAsync()
    {
        using var admin = Admin();
        using var document = JsonDocument.Parse(await admin.GetStringAsync("/_sandbox/calls"));
        var root = document.RootElement;
        var byStatus = root.GetProperty("byStatus").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);
        var byRoute = root.GetProperty("byRoute").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);
        return new SandboxCalls(root.GetProperty("total").GetInt64(), byStatus.GetValueOrDefault("429"), byRoute);
    }

    /// <summary>The sandbox's admin API (Bearer access token), for seeding tokens and reading or resetting the counters.</summary>
    public HttpClient Admin()
    {
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(Sandbox.BaseAddress.GetLeftPart(UriPartial.Authority)), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Sandbox.AccessToken);
        return client;
    }

    /// <summary>A client for <paramref name="replica"/>'s HTTP endpoints.</summary>
    public static HttpClient ClientOf(BotReplica replica) =>
        new(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = replica.Root, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>A count over the shared database.</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using var command = Database.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>Waits for <paramref name="condition"/>; fails with every replica's log tail, or at once when a replica died on its own.</summary>
    public async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<Task<string>>? state = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                var extra = state is null ? "" : await state();
                throw new TimeoutException($"Not seen within {timeout.TotalSeconds:0} s: {what}. {extra}\n" + string.Join("\n---\n", replicas.Select(r => $"{r.Name}:\n{r.Tail()}")));
            }

            foreach (var replica in replicas.Where(r => r.HasExited && !r.Ended))
            {
                throw new InvalidOperationException($"Replica {replica.Name} died:\n{replica.Tail()}");
            }

            await Task.Delay(25);
        }
    }

    private async Task StartAllAsync()
    {
        var clock = Stopwatch.StartNew();
        foreach (var name in Names)
        {
            replicas.Add(BotReplica.Start(name, Settings(), Folder));
        }

        await Task.WhenAll(replicas.Select(r => r.WaitUntilReadyAsync(TimeSpan.FromSeconds(120))));
        LastStart = clock.Elapsed;
    }

    private Dictionary<string, string> Settings() => new(StringComparer.Ordinal)
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["DOTNET_ENVIRONMENT"] = "Development",
        ["Storage:Provider"] = "Postgres",
        ["ConnectionStrings:Postgres"] = Database.ConnectionString,
        ["PlanetScale:BaseUrl"] = Sandbox.BaseAddress.ToString(),
        ["PlanetScale:ServiceTokenId"] = Sandbox.ServiceTokenId,
        ["PlanetScale:ServiceToken"] = Sandbox.ServiceToken,
        ["PlanetScale:DefaultOrganization"] = "acme",
        ["PlanetScale:UseSandbox"] = "false",
        ["Policy:Path"] = Path.Combine(Folder, "policy.yaml"),
        ["AccessRequests:RevokeClaimDuration"] = Lease.ToString("c", CultureInfo.InvariantCulture),
        ["AccessRequests:MaxIdleWait"] = "00:00:01",
        ["Slack:Enabled"] = "true",
        ["Slack:Mode"] = "Http",
        ["Slack:SigningSecret"] = SlackSigner.Secret,
        ["Slack:BotToken"] = "xoxb-replica-bot-token",
        ["Slack:ApiBaseUrl"] = Slack.ApiBase.ToString(),
        ["Slack:ResponseUrlHosts:0"] = "127.0.0.1",
        ["Teams:Enabled"] = "true",
        ["Teams:AllowUnauthenticatedLoopback"] = "true",
        ["Teams:AllowedTenants:0"] = LocalOpenIdServer.TenantId,
        ["Teams:AllowLoopbackServiceUrls"] = "true",
        ["Logging:LogLevel:Default"] = "Warning",
    };
}

/// <summary>PlanetScale calls the sandbox counted.</summary>
public sealed record SandboxCalls(long Total, long TooManyRequests, IReadOnlyDictionary<string, long> ByRoute)
{
    /// <summary>Calls on one <c>METHOD path</c>.</summary>
    public long On(string route) => ByRoute.GetValueOrDefault(route);
}
