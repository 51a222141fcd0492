using System.Net;
using PscaleBot.Sandbox.State;

namespace PscaleBot.Sandbox.Tests.Admin;

/// <summary>The loopback admin endpoint that sets when a token was last used (and created), for stale-token tests.</summary>
public sealed class TokenUsageAdminTests
{
    [Fact]
    public async Task Setting_last_used_and_created_shows_in_the_api_and_null_means_never()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        using var admin = new HttpClient { BaseAddress = new Uri(sandbox.Server.BaseAddress, "/") };
        var path = $"/_sandbox/tokens/acme/{SandboxSeed.CiDeployTokenId}/usage";

        using (var set = await admin.PutAsync(path, RunningSandbox.Json("""{"lastUsedAt":"2026-01-02T03:04:05Z","createdAt":"2025-06-01T00:00:00Z"}""")))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        var token = await sandbox.GetAsync($"organizations/acme/service-tokens/{SandboxSeed.CiDeployTokenId}");
        Assert.StartsWith("2026-01-02T03:04:05", token.GetProperty("last_used_at").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("2025-06-01T00:00:00", token.GetProperty("created_at").GetString(), StringComparison.Ordinal);

        using (var never = await admin.PutAsync(path, RunningSandbox.Json("""{"lastUsedAt":null}""")))
        {
            Assert.Equal(HttpStatusCode.OK, never.StatusCode);
        }

        var again = await sandbox.GetAsync($"organizations/acme/service-tokens/{SandboxSeed.CiDeployTokenId}");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, again.GetProperty("last_used_at").ValueKind);
        Assert.StartsWith("2025-06-01T00:00:00", again.GetProperty("created_at").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_token_is_404_and_a_bad_body_is_400_with_an_example()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        using var admin = new HttpClient { BaseAddress = new Uri(sandbox.Server.BaseAddress, "/") };

        using var unknown = await admin.PutAsync("/_sandbox/tokens/acme/n0such0tkn00/usage", RunningSandbox.Json("""{"lastUsedAt":null}"""));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var bad = await admin.PutAsync($"/_sandbox/tokens/acme/{SandboxSeed.CiDeployTokenId}/usage", RunningSandbox.Json("not json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("lastUsedAt", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
