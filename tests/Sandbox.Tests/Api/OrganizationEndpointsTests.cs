using System.Net;
using System.Text.Json;

namespace PscaleBot.Sandbox.Tests.Api;

public sealed class OrganizationEndpointsTests
{
    [Fact]
    public async Task TheBotSeesOnlyItsOwnOrganization()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        var list = await sandbox.GetAsync("organizations");

        Assert.Equal("list", list.GetProperty("type").GetString());
        var org = Assert.Single(list.GetProperty("data").EnumerateArray());
        Assert.Equal("acme", org.GetProperty("name").GetString());
        Assert.Equal("acm3org0001x", org.GetProperty("id").GetString());
        Assert.Equal(3, org.GetProperty("database_count").GetInt32());
        Assert.Equal(JsonValueKind.Null, org.GetProperty("sso_portal_url").ValueKind);
        Assert.True(org.TryGetProperty("billing_email", out _));
        Assert.True(org.TryGetProperty("created_at", out _));
    }

    [Fact]
    public async Task TheBearerAdminSeesEveryOrganization()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        using var admin = sandbox.NewClient("Bearer " + sandbox.Server.AccessToken);
        var list = await sandbox.GetAsync("organizations", admin);
        Assert.Equal(["acme", "globex"], list.GetProperty("data").EnumerateArray().Select(o => o.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task AFreshTokenWithoutGrantsSeesNoOrganization()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        var (id, secret) = await sandbox.CreateTokenAsync();
        using var client = sandbox.NewClient($"{id}:{secret}");
        var list = await sandbox.GetAsync("organizations", client);
        Assert.Equal(0, list.GetProperty("data").GetArrayLength());
        Assert.Equal(0, list.GetProperty("total_count").GetInt32());
    }

    [Fact]
    public async Task DatabasesAreListedWithTheirShape()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        var list = await sandbox.GetAsync("organizations/acme/databases");

        Assert.Equal(3, list.GetProperty("total_count").GetInt32());
        Assert.Equal(["prod", "staging", "analytics"], list.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("name").GetString()));
        var prod = list.GetProperty("data")[0];
        Assert.Equal("pr0ddb000001", prod.GetProperty("id").GetString());
        Assert.Equal("ready", prod.GetProperty("state").GetString());
        Assert.Equal("main", prod.GetProperty("default_branch").GetString());
        Assert.Equal("mysql", prod.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Object, prod.GetProperty("region").ValueKind);
        Assert.Equal(JsonValueKind.Null, prod.GetProperty("data_import").ValueKind);
    }

    [Fact]
    public async Task DatabasesCanBeFilteredAndPaged()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        var filtered = await sandbox.GetAsync("organizations/acme/databases?q=stag");
        Assert.Equal(["staging"], filtered.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("name").GetString()));

        var page2 = await sandbox.GetAsync("organizations/acme/databases?per_page=2&page=2");
        Assert.Equal(["analytics"], page2.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("name").GetString()));
        Assert.Equal(1, page2.GetProperty("prev_page").GetInt32());
    }

    [Fact]
    public async Task ATokenWithoutReadDatabasesSeesOnlyTheDatabasesItHasAccessOn()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        var (id, secret) = await sandbox.CreateTokenAsync();
        await sandbox.SendAsync(HttpMethod.Post, $"organizations/acme/service-tokens/{id}/access", """{"database":"staging","access":["read_branch"]}""", HttpStatusCode.OK);

        using var client = sandbox.NewClient($"{id}:{secret}");
        var list = await sandbox.GetAsync("organizations/acme/databases", client);
        Assert.Equal(["staging"], list.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task DatabasesOfAnInvisibleOrganizationAreNotFound()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        var error = await sandbox.SendAsync(HttpMethod.Get, "organizations/globex/databases", null, HttpStatusCode.NotFound);
        Assert.Equal("not_found", error.GetProperty("code").GetString());
        await sandbox.SendAsync(HttpMethod.Get, "organizations/nosuchorg/databases", null, HttpStatusCode.NotFound);
    }
}
