using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PscaleBot.Bot.Hosting;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results.Rendering;

namespace PscaleBot.Bot.Tests.Audit;

/// <summary>
/// <c>audit --source planetscale</c> through the real pipeline and Refit client against the embedded sandbox's audit log:
/// a token the bot created is marked "by the bot", one another token created straight on the API "outside the bot".
/// </summary>
public sealed class PlanetScaleAuditCommandTests : IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("ps-audit-").FullName;
    private IHost? host;

    public async Task InitializeAsync()
    {
        var policyPath = Path.Combine(folder, "policy.yaml");
        await File.WriteAllTextAsync(policyPath, """
            roles:
              db-admin: { commands: ["*"], databases: ["*"], permissions: ["*"] }
            bindings:
              - { where: shell, who: "*", roles: [db-admin] }
            """);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Policy:Path"] = policyPath,
            ["Audit:Path"] = Path.Combine(folder, "audit.db"),
            ["PlanetScale:UseSandbox"] = "true",
        });
        builder.AddEmbeddedSandbox(whenNoCredentials: true);
        builder.AddCommandCore();
        host = builder.Build();
        Assert.Empty(await StartupProblems.FindAsync(host.Services));
        await host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.StopAsync();
            host.Dispose();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Changes_made_outside_the_bot_are_told_apart_from_the_bots_own()
    {
        var created = await TextAsync("service-token create --name via-bot --format json");
        var botToken = JsonDocument.Parse(created).RootElement.GetProperty("id").GetString()!;
        Assert.False((await RunAsync($"service-token add-access {botToken} read_branch --database prod")).IsError);

        // Someone with their own token (made with the bot's credential, then used directly) creates a token on the API.
        using var api = Api(Settings.ServiceTokenId!, Settings.ServiceToken!);
        var outsider = await CreateAsync(api, "outsider-admin");
        (await api.PostAsJsonAsync($"organizations/acme/service-tokens/{outsider.Id}/access", new { access = new[] { "read_organization", "write_service_tokens" } })).EnsureSuccessStatusCode();
        using var theirs = Api(outsider.Id, outsider.Secret);
        var shadow = await CreateAsync(theirs, "shadow");

        var json = JsonDocument.Parse(await TextAsync("audit --source planetscale --limit 10 --format json")).RootElement.EnumerateArray().ToList();

        var shadowRow = Assert.Single(json, r => r.GetProperty("command").GetString()!.StartsWith($"service_token.created {shadow.Id} (shadow)", StringComparison.Ordinal));
        Assert.Equal("outside the bot", shadowRow.GetProperty("decision").GetString());
        Assert.StartsWith($"planetscale:servicetoken:{outsider.Id}", shadowRow.GetProperty("user_id").GetString(), StringComparison.Ordinal);
        var grant = Assert.Single(json, r => r.GetProperty("command").GetString()!.StartsWith($"service_token.access_granted {botToken}", StringComparison.Ordinal));
        Assert.Equal("by the bot", grant.GetProperty("decision").GetString());
        Assert.Contains("accesses=read_branch", grant.GetProperty("command").GetString(), StringComparison.Ordinal);
        Assert.Contains("database=prod", grant.GetProperty("command").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(shadow.Secret, await TextAsync("audit --source planetscale --limit 10"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_made_right_after_a_read_is_in_the_next_read()
    {
        Assert.Contains("no service-token events", await TextAsync("audit --source planetscale"), StringComparison.Ordinal);

        Assert.False((await RunAsync("service-token add-access ci7deploy0a1 connect_branch --database staging")).IsError);

        Assert.Contains("service_token.access_granted ci7deploy0a1 (ci-deploy) accesses=connect_branch database=staging", await TextAsync("audit --source planetscale --format csv"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_limit_pages_through_the_log_and_keeps_the_newest()
    {
        using var api = Api(Settings.ServiceTokenId!, Settings.ServiceToken!);
        for (var i = 0; i < 3; i++)
        {
            await CreateAsync(api, $"t{i}");
        }

        var csv = await TextAsync("audit --source planetscale --limit 2 --format csv");

        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Contains("(t2)", lines[1], StringComparison.Ordinal);
        Assert.Contains("(t1)", lines[2], StringComparison.Ordinal);
    }

    private PlanetScaleOptions Settings => host!.Services.GetRequiredService<IOptions<PlanetScaleOptions>>().Value;

    private HttpClient Api(string id, string secret)
    {
        var client = new HttpClient { BaseAddress = new Uri(Settings.BaseUrl.ToString().TrimEnd('/') + "/") };
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"{id}:{secret}");
        return client;
    }

    private static async Task<(string Id, string Secret)> CreateAsync(HttpClient api, string name)
    {
        var response = await api.PostAsJsonAsync("organizations/acme/service-tokens", new { name });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (json.RootElement.GetProperty("id").GetString()!, json.RootElement.GetProperty("token").GetString()!);
    }

    private async Task<string> TextAsync(string line)
    {
        var response = await RunAsync(line);
        var text = host!.Services.GetRequiredService<CommandResponseTextRenderer>().Render(response).Trim();
        Assert.False(response.IsError, text);
        return text;
    }

    private async Task<CommandResponse> RunAsync(string line)
    {
        await using var scope = host!.Services.CreateAsyncScope();
        var caller = new ChatIdentity(ChatPlatform.Shell, "shell:user:alice", [], "alice");
        return await scope.ServiceProvider.GetRequiredService<ICommandPipeline>().RunAsync(new ChatRequest(caller, ChatPlace.Shell, line), CancellationToken.None);
    }
}
