using System.Net;
using System.Text.Json;

namespace PscaleBot.Sandbox.Tests.Api;

/// <summary><c>GET /organizations/{org}/audit-log</c>: service-token changes recorded as they happen, newest first, cursor-paged.</summary>
public sealed class AuditLogEndpointsTests
{
    [Fact]
    public async Task Create_grant_remove_and_delete_are_recorded_newest_first_with_who_did_them()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        var (id, _) = await sandbox.CreateTokenAsync("""{"name":"outsider"}""");
        await sandbox.SendAsync(HttpMethod.Post, $"organizations/acme/service-tokens/{id}/access", """{"database":"prod","access":["read_branch","connect_branch"]}""", HttpStatusCode.OK);
        await sandbox.SendAsync(HttpMethod.Delete, $"organizations/acme/service-tokens/{id}/access", """{"database":"prod","access":["connect_branch"]}""", HttpStatusCode.NoContent);
        await sandbox.SendAsync(HttpMethod.Delete, $"organizations/acme/service-tokens/{id}", null, HttpStatusCode.NoContent);

        var page = await sandbox.GetAsync("organizations/acme/audit-log");

        var events = page.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(
            ["service_token.deleted", "service_token.access_removed", "service_token.access_granted", "service_token.created"],
            events.Select(e => e.GetProperty("action").GetString()));
        Assert.All(events, e => Assert.Equal(id, e.GetProperty("target_id").GetString()));
        Assert.All(events, e => Assert.Equal(sandbox.Server.ServiceTokenId, e.GetProperty("actor_id").GetString()));
        Assert.Equal("ServiceToken", events[0].GetProperty("actor_type").GetString());
        Assert.Equal("read_branch,connect_branch", events[2].GetProperty("metadata").GetProperty("accesses").GetString());
        Assert.Equal("prod", events[2].GetProperty("metadata").GetProperty("database").GetString());
        Assert.False(page.GetProperty("has_next").GetBoolean());
        Assert.Equal(events[0].GetProperty("id").GetString(), page.GetProperty("cursor_start").GetString());
    }

    [Fact]
    public async Task Pages_follow_the_cursor_without_gaps_or_repeats()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            await sandbox.CreateTokenAsync();
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        JsonElement page;
        do
        {
            page = await sandbox.GetAsync("organizations/acme/audit-log?limit=2" + (cursor is null ? "" : "&starting_after=" + cursor));
            seen.AddRange(page.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!));
            cursor = page.GetProperty("cursor_end").GetString();
            pages++;
        }
        while (page.GetProperty("has_next").GetBoolean());

        Assert.Equal(3, pages);
        Assert.Equal(5, seen.Distinct().Count());
        Assert.Equal(seen.OrderDescending(StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task Without_read_audit_logs_it_is_a_plain_404()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        var (id, secret) = await sandbox.CreateTokenAsync();
        await sandbox.SendAsync(HttpMethod.Post, $"organizations/acme/service-tokens/{id}/access", """{"access":["read_organization"]}""", HttpStatusCode.OK);
        using var client = sandbox.NewClient($"{id}:{secret}");

        await sandbox.SendAsync(HttpMethod.Get, "organizations/acme/audit-log", null, HttpStatusCode.NotFound, client);
    }
}
