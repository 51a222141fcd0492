using System.Net;
using Microsoft.Extensions.Time.Testing;
using PscaleBot.Sandbox.State;

namespace PscaleBot.Sandbox.Tests.Api;

public sealed class TokenExpiryTests
{
    [Fact]
    public async Task AnExpiredTokenStopsAuthenticatingButStaysListedWithItsExpiry()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero));
        await using var sandbox = await RunningSandbox.StartAsync(time: time);
        var (id, secret) = await sandbox.CreateTokenAsync("""{"name":"short-lived","ttl":60}""");
        await sandbox.SendAsync(HttpMethod.Post, $"organizations/acme/service-tokens/{id}/access", """{"database":"","access":["read_organization"]}""", HttpStatusCode.OK);
        using var client = sandbox.NewClient($"{id}:{secret}");

        time.Advance(TimeSpan.FromSeconds(59));
        await sandbox.SendAsync(HttpMethod.Get, "organizations", null, HttpStatusCode.OK, client);

        time.Advance(TimeSpan.FromSeconds(1));
        var error = await sandbox.SendAsync(HttpMethod.Get, "organizations", null, HttpStatusCode.Unauthorized, client);
        Assert.Equal("unauthorized", error.GetProperty("code").GetString());
        Assert.Contains("expired", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        var listed = await sandbox.GetAsync($"organizations/acme/service-tokens/{id}");
        Assert.Equal("2026-06-01T10:01:00.000Z", listed.GetProperty("expires_at").GetString());
    }

    [Fact]
    public async Task TheSeededTemporaryTokenExpiresSevenDaysAfterTheStart()
    {
        var start = new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);
        await using var sandbox = await RunningSandbox.StartAsync(time: new FakeTimeProvider(start));
        var token = await sandbox.GetAsync($"organizations/acme/service-tokens/{SandboxSeed.TemporaryTokenId}");
        Assert.Equal("2026-06-08T10:00:00.000Z", token.GetProperty("expires_at").GetString());
    }

    [Fact]
    public async Task TheBotCredentialNeverExpires()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero));
        await using var sandbox = await RunningSandbox.StartAsync(time: time);
        time.Advance(TimeSpan.FromDays(4000));
        await sandbox.GetAsync("organizations");
    }
}
