using System.Net;
using PscaleBot.Sandbox.State;

namespace PscaleBot.Sandbox.Tests.State;

public sealed class ConcurrencyTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "pscale-sandbox-concurrency-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task ParallelCreatesProduceUniqueIdsAndAreAllPersisted()
    {
        var statePath = Path.Combine(directory, "state.json");
        await using (var sandbox = await RunningSandbox.StartAsync(new SandboxOptions { StatePath = statePath }))
        {
            var created = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => sandbox.CreateTokenAsync($$"""{"name":"parallel-{{i}}"}""")));
            Assert.Equal(40, created.Select(c => c.Id).Distinct().Count());
            Assert.Equal(40, created.Select(c => c.Secret).Distinct().Count());
        }

        await using var restarted = await RunningSandbox.StartAsync(new SandboxOptions { StatePath = statePath });
        var list = await restarted.GetAsync("organizations/acme/service-tokens?per_page=100");
        Assert.Equal(46, list.GetProperty("total_count").GetInt32());
    }

    [Fact]
    public async Task ParallelGrantsOnOneTokenAreAllKept()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        string[] permissions = ["read_branch", "create_branch", "delete_branch", "connect_branch", "read_backups", "write_backups", "read_comment", "create_comment"];
        await Task.WhenAll(permissions.Select(p => sandbox.SendAsync(HttpMethod.Post,
            $"organizations/acme/service-tokens/{SandboxSeed.UnnamedTokenId}/access", $$"""{"database":"prod","access":["{{p}}"]}""", HttpStatusCode.OK)));

        var access = await sandbox.GetAsync($"organizations/acme/service-tokens/{SandboxSeed.UnnamedTokenId}/access");
        Assert.Equal(permissions.Order(), access.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("access").GetString()!).Order());
    }

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
