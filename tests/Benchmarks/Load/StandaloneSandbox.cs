using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace PscaleBot.Benchmarks.Load;

/// <summary>
/// The sandbox as its own process (<c>dotnet PscaleBot.Sandbox.dll --port … --in-memory</c>), with the admin endpoints
/// the harness uses: the rate limit (<c>/_sandbox/faults</c>) and the call counter (<c>/_sandbox/calls</c>).
/// </summary>
internal sealed class StandaloneSandbox : IAsyncDisposable
{
    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    private readonly ServerProcess process;
    private readonly HttpClient admin;

    private StandaloneSandbox(ServerProcess process, Uri root, string token, string accessToken)
    {
        this.process = process;
        Root = root;
        ServiceToken = token;
        admin = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 32 }) { BaseAddress = root, Timeout = TimeSpan.FromSeconds(60) };
        admin.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + accessToken);
    }

    /// <summary>The bot credential's id (the seed's).</summary>
    public const string ServiceTokenId = "pscalebot001";

    /// <summary><c>http://127.0.0.1:port/</c>.</summary>
    public Uri Root { get; }

    /// <summary>The API root, ending in <c>/v1</c>.</summary>
    public Uri ApiBase => new(Root, "/v1");

    /// <summary>The bot credential's secret, made up for this run.</summary>
    public string ServiceToken { get; }

    /// <summary>Starts it with <paramref name="rateLimitPerMinute"/> (0 = off) and waits until it answers.</summary>
    public static async Task<StandaloneSandbox> StartAsync(string sandboxDll, int rateLimitPerMinute, string workDirectory)
    {
        var port = ServerProcess.FreePort();
        var token = "pscale_tkn_" + RandomNumberGenerator.GetString(SecretAlphabet, 43);
        var accessToken = "pscale_oauth_" + RandomNumberGenerator.GetString(SecretAlphabet, 43);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Sandbox__ServiceToken"] = token,
            ["Sandbox__AccessToken"] = accessToken,
            ["Sandbox__Faults__RateLimitPerMinute"] = rateLimitPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DOTNET_gcServer"] = "0",
        };
        var process = ServerProcess.Start("dotnet", [sandboxDll, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--in-memory"],
            workDirectory, environment, Path.Combine(workDirectory, "sandbox.log"));
        var root = new Uri($"http://127.0.0.1:{port}/");
        try
        {
            await process.WaitUntilReadyAsync(new Uri(root, "/_sandbox/faults"), TimeSpan.FromSeconds(60));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        var sandbox = new StandaloneSandbox(process, root, token, accessToken);
        try
        {
            await sandbox.WarmAsync();
        }
        catch
        {
            await sandbox.DisposeAsync();
            throw;
        }

        return sandbox;
    }

    // PlanetScale is a warm service: its first answer on a path is not slower than its hundredth. A fresh sandbox
    // process's is (its own JIT, ~20 ms), which counted against whichever server's first command came first. So the
    // read paths the workloads use are asked a few times as the admin (not the bot's credential, so not its rate
    // limit), and the call counter starts from zero.
    private async Task WarmAsync()
    {
        string[] paths =
        [
            "/v1/organizations", "/v1/organizations/acme/databases", "/v1/organizations/acme/service-tokens",
            .. LoadCommand.SeededTokens.SelectMany(id => new[]
            {
                $"/v1/organizations/acme/service-tokens/{id}", $"/v1/organizations/acme/service-tokens/{id}/access",
                $"/v1/organizations/acme/service-tokens/{id}/grants",
            }),
        ];
        for (var round = 0; round < 3; round++)
        {
            foreach (var path in paths)
            {
                using var response = await admin.GetAsync(path);
                response.EnsureSuccessStatusCode();
            }
        }

        await ResetCallsAsync();
    }

    /// <summary>Sets the per-caller rate limit (0 = off); every other fault setting goes back to none.</summary>
    public async Task SetRateLimitAsync(int perMinute)
    {
        using var response = await admin.PutAsJsonAsync("/_sandbox/faults", new { rateLimitPerMinute = perMinute });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Calls counted since the last reset: in total and per status.</summary>
    public async Task<CallCount> CallsAsync()
    {
        using var document = JsonDocument.Parse(await admin.GetStringAsync("/_sandbox/calls"));
        var byStatus = document.RootElement.GetProperty("byStatus").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);
        return new CallCount(document.RootElement.GetProperty("total").GetInt64(), byStatus.GetValueOrDefault("429"));
    }

    /// <summary>Counts from zero.</summary>
    public async Task ResetCallsAsync()
    {
        using var response = await admin.DeleteAsync("/_sandbox/calls");
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Creates a service token in acme as the admin (not the bot's credential, so not its rate limit); returns its id.</summary>
    public async Task<string> CreateTokenAsync(string name)
    {
        using var response = await admin.PostAsJsonAsync("/v1/organizations/acme/service-tokens", new { name });
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Grants <paramref name="permission"/> on <paramref name="database"/> to <paramref name="tokenId"/>, as the admin.</summary>
    public async Task AddAccessAsync(string tokenId, string database, string permission)
    {
        using var response = await admin.PostAsJsonAsync($"/v1/organizations/acme/service-tokens/{tokenId}/access", new { database, access = new[] { permission } });
        response.EnsureSuccessStatusCode();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        admin.Dispose();
        await process.DisposeAsync();
    }
}

/// <summary>PlanetScale calls the sandbox answered, and how many of them were 429.</summary>
internal sealed record CallCount(long Total, long TooManyRequests)
{
    /// <summary>Calls not refused with 429.</summary>
    public long Accepted => Total - TooManyRequests;

    public static CallCount operator -(CallCount after, CallCount before) => new(after.Total - before.Total, after.TooManyRequests - before.TooManyRequests);
}
