using System.Net;
using PscaleBot.Sandbox.State;

namespace PscaleBot.Sandbox.Tests.State;

public sealed class PersistenceTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "pscale-sandbox-tests-" + Guid.NewGuid().ToString("N"));

    private string StatePath => Path.Combine(directory, "nested", "state.json");

    [Fact]
    public async Task StateSurvivesARestart()
    {
        string id;
        await using (var first = await RunningSandbox.StartAsync(new SandboxOptions { StatePath = StatePath }))
        {
            (id, _) = await first.CreateTokenAsync("""{"name":"survivor"}""");
            await first.SendAsync(HttpMethod.Post, $"organizations/acme/service-tokens/{id}/access", """{"database":"prod","access":["read_branch"]}""", HttpStatusCode.OK);
            await first.SendAsync(HttpMethod.Delete, $"organizations/acme/service-tokens/{SandboxSeed.UnnamedTokenId}", null, HttpStatusCode.NoContent);
        }

        Assert.True(File.Exists(StatePath));
        await using var second = await RunningSandbox.StartAsync(new SandboxOptions { StatePath = StatePath });
        var token = await second.GetAsync($"organizations/acme/service-tokens/{id}");
        Assert.Equal("survivor", token.GetProperty("name").GetString());
        Assert.Equal("read_branch", token.GetProperty("service_token_accesses")[0].GetProperty("access").GetString());
        await second.SendAsync(HttpMethod.Get, $"organizations/acme/service-tokens/{SandboxSeed.UnnamedTokenId}", null, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TheStateFileHoldsNoPlaintextSecretsAndNoTempFilesAreLeft()
    {
        string secret;
        await using (var sandbox = await RunningSandbox.StartAsync(new SandboxOptions { StatePath = StatePath }))
        {
            (_, secret) = await sandbox.CreateTokenAsync();
            var text = await File.ReadAllTextAsync(StatePath);
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(sandbox.Server.ServiceToken, text, StringComparison.Ordinal);
            Assert.Contains(Credentials.Hash(secret), text, StringComparison.Ordinal);
        }

        Assert.Equal(["state.json"], Directory.GetFiles(Path.GetDirectoryName(StatePath)!).Select(Path.GetFileName));
    }

    [Fact]
    public async Task FreshStartsFromTheSeedAndOverwritesTheFile()
    {
        await using (var first = await RunningSandbox.StartAsync(new SandboxOptions { StatePath = StatePath }))
        {
            await first.SendAsync(HttpMethod.Delete, $"organizations/acme/service-tokens/{SandboxSeed.CiDeployTokenId}", null, HttpStatusCode.NoContent);
        }

        await using (var fresh = await RunningSandbox.StartAsync(new SandboxOptions { StatePath = StatePath, Fresh = true }))
        {
            await fresh.GetAsync($"organizations/acme/service-tokens/{SandboxSeed.CiDeployTokenId}");
        }

        await using var after = await RunningSandbox.StartAsync(new SandboxOptions { StatePath = StatePath });
        await after.GetAsync($"organizations/acme/service-tokens/{SandboxSeed.CiDeployTokenId}");
    }

    [Fact]
    public async Task WithoutAStatePathNothingIsKeptBetweenRuns()
    {
        await using (var first = await RunningSandbox.StartAsync())
        {
            await first.SendAsync(HttpMethod.Delete, $"organizations/acme/service-tokens/{SandboxSeed.CiDeployTokenId}", null, HttpStatusCode.NoContent);
            Assert.Null(first.Server.StatePath);
        }

        await using var second = await RunningSandbox.StartAsync();
        await second.GetAsync($"organizations/acme/service-tokens/{SandboxSeed.CiDeployTokenId}");
    }

    [Fact]
    public async Task ACorruptStateFileStopsTheStartWithAMessageNamingItAndTheFix()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(StatePath)!);
        await File.WriteAllTextAsync(StatePath, "{ not json");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            SandboxServer.StartAsync(new SandboxOptions { StatePath = StatePath }, CancellationToken.None));
        Assert.Contains(StatePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("--fresh", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConfiguredBotCredentialIsUsedAndRotatesOnRestart()
    {
        const string firstSecret = "pscale_tkn_configuredsecretnumberone000000000000000000";
        await using (var first = await RunningSandbox.StartAsync(new SandboxOptions { StatePath = StatePath, ServiceToken = firstSecret }))
        {
            Assert.Equal(firstSecret, first.Server.ServiceToken);
            await first.GetAsync("organizations");
        }

        await using var second = await RunningSandbox.StartAsync(new SandboxOptions { StatePath = StatePath });
        Assert.NotEqual(firstSecret, second.Server.ServiceToken);
        using var stale = second.NewClient($"{SandboxSeed.BotTokenId}:{firstSecret}");
        await second.SendAsync(HttpMethod.Get, "organizations", null, HttpStatusCode.Unauthorized, stale);
        await second.GetAsync("organizations");
    }

    [Fact]
    public async Task AConfiguredBotIdGetsTheBotsGrants()
    {
        await using var sandbox = await RunningSandbox.StartAsync(new SandboxOptions { ServiceTokenId = "mybot0000001" });
        Assert.Equal("mybot0000001", sandbox.Server.ServiceTokenId);
        var list = await sandbox.GetAsync("organizations/acme/service-tokens");
        var ids = list.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("id").GetString()).ToList();
        Assert.Contains("mybot0000001", ids);
        Assert.DoesNotContain(SandboxSeed.BotTokenId, ids);
    }

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
