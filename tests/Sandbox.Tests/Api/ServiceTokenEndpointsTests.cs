using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using PscaleBot.Sandbox.State;

namespace PscaleBot.Sandbox.Tests.Api;

public sealed class ServiceTokenEndpointsTests
{
    private static readonly Regex Timestamp = new(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$");

    [Fact]
    public async Task BaseAddressIsLoopbackAndEndsInV1()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        Assert.Equal("127.0.0.1", sandbox.Server.BaseAddress.Host);
        Assert.NotEqual(0, sandbox.Server.BaseAddress.Port);
        Assert.EndsWith("/v1", sandbox.Server.BaseAddress.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(SandboxSeed.BotTokenId, sandbox.Server.ServiceTokenId);
        Assert.Matches("^pscale_tkn_[A-Za-z0-9_-]{43}$", sandbox.Server.ServiceToken);
    }

    [Fact]
    public async Task ListReturnsTheFullEnvelopeAndTokensWithoutSecrets()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        var list = await sandbox.GetAsync("organizations/acme/service-tokens");

        Assert.Equal("list", list.GetProperty("type").GetString());
        Assert.Equal(1, list.GetProperty("current_page").GetInt32());
        Assert.Equal(25, list.GetProperty("per_page").GetInt32());
        Assert.Equal(JsonValueKind.Null, list.GetProperty("next_page").ValueKind);
        Assert.Equal(JsonValueKind.Null, list.GetProperty("next_page_url").ValueKind);
        Assert.Equal(JsonValueKind.Null, list.GetProperty("prev_page").ValueKind);
        Assert.Equal(JsonValueKind.Null, list.GetProperty("prev_page_url").ValueKind);
        Assert.Equal(6, list.GetProperty("total_count").GetInt32());
        Assert.Equal(1, list.GetProperty("total_pages").GetInt32());

        var ids = list.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("id").GetString()).ToList();
        Assert.Equal(
            [SandboxSeed.BotTokenId, SandboxSeed.CiDeployTokenId, SandboxSeed.AnalyticsTokenId, SandboxSeed.OrgAdminTokenId, SandboxSeed.UnnamedTokenId, SandboxSeed.TemporaryTokenId],
            ids);
        Assert.DoesNotContain(SandboxSeed.HiddenOrgTokenId, ids);

        foreach (var token in list.GetProperty("data").EnumerateArray())
        {
            Assert.Equal("ServiceToken", token.GetProperty("type").GetString());
            Assert.Equal(JsonValueKind.Null, token.GetProperty("token").ValueKind);
            Assert.Matches(Timestamp, token.GetProperty("created_at").GetString()!);
            Assert.Matches(Timestamp, token.GetProperty("updated_at").GetString()!);
            Assert.True(token.TryGetProperty("expires_at", out _));
            Assert.True(token.TryGetProperty("last_used_at", out _));
            Assert.True(token.TryGetProperty("actor_type", out _));
        }

        var unnamed = list.GetProperty("data").EnumerateArray().Single(t => t.GetProperty("id").GetString() == SandboxSeed.UnnamedTokenId);
        Assert.Equal(JsonValueKind.Null, unnamed.GetProperty("name").ValueKind);
        Assert.Equal(SandboxSeed.UnnamedTokenId, unnamed.GetProperty("display_name").GetString());
    }

    [Fact]
    public async Task CreateReturnsTheSecretOnceWithIdsInPlanetScaleShape()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, 250, TimeSpan.Zero));
        await using var sandbox = await RunningSandbox.StartAsync(time: time);

        var created = await sandbox.SendAsync(HttpMethod.Post, "organizations/acme/service-tokens", """{"name":"deployer","ttl":3600}""", HttpStatusCode.OK);
        var id = created.GetProperty("id").GetString()!;
        Assert.Matches("^[a-z0-9]{12}$", id);
        Assert.Matches("^pscale_tkn_[A-Za-z0-9_-]{43}$", created.GetProperty("token").GetString()!);
        Assert.Equal("deployer", created.GetProperty("name").GetString());
        Assert.Equal("deployer", created.GetProperty("display_name").GetString());
        Assert.Equal("2026-03-01T12:00:00.250Z", created.GetProperty("created_at").GetString());
        Assert.Equal("2026-03-01T13:00:00.250Z", created.GetProperty("expires_at").GetString());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("last_used_at").ValueKind);
        Assert.Equal(SandboxSeed.BotTokenId, created.GetProperty("actor_id").GetString());
        Assert.Equal("ServiceToken", created.GetProperty("actor_type").GetString());
        Assert.Equal(0, created.GetProperty("service_token_accesses").GetArrayLength());

        var fetched = await sandbox.GetAsync($"organizations/acme/service-tokens/{id}");
        Assert.Equal(JsonValueKind.Null, fetched.GetProperty("token").ValueKind);
        Assert.Equal("deployer", fetched.GetProperty("name").GetString());
    }

    [Fact]
    public async Task CreateWithoutBodyOrFieldsMakesAnUnnamedTokenWithoutExpiry()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        using var response = await sandbox.Client.PostAsync("organizations/acme/service-tokens", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var created = await RunningSandbox.ReadJsonAsync(response);
        Assert.Equal(JsonValueKind.Null, created.GetProperty("name").ValueKind);
        Assert.Equal(JsonValueKind.Null, created.GetProperty("expires_at").ValueKind);
        Assert.Equal(created.GetProperty("id").GetString(), created.GetProperty("display_name").GetString());
    }

    [Theory]
    [InlineData("""{"ttl":0}""", 422, "ttl")]
    [InlineData("""{"ttl":-5}""", 422, "ttl")]
    [InlineData("""{"ttl":"soon"}""", 400, "ttl")]
    [InlineData("""{"name":42}""", 400, "name")]
    [InlineData("""[1,2]""", 400, "JSON object")]
    [InlineData("""{"name":""", 400, "not valid JSON")]
    public async Task CreateRejectsBadBodiesNamingTheField(string body, int status, string mentioned)
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        var error = await sandbox.SendAsync(HttpMethod.Post, "organizations/acme/service-tokens", body, (HttpStatusCode)status);
        Assert.Equal(status == 422 ? "unprocessable" : "bad_request", error.GetProperty("code").GetString());
        Assert.Contains(mentioned, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetIncludesServiceTokenAccessesWithResources()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        var token = await sandbox.GetAsync($"organizations/acme/service-tokens/{SandboxSeed.AnalyticsTokenId}");

        Assert.Equal("analytics-readonly", token.GetProperty("name").GetString());
        var accesses = token.GetProperty("service_token_accesses").EnumerateArray().ToList();
        Assert.Equal(["read_database", "read_branch", "connect_branch"], accesses.Select(a => a.GetProperty("access").GetString()));
        var first = accesses[0];
        Assert.Equal("Get information about a database", first.GetProperty("description").GetString());
        Assert.Equal("analytics", first.GetProperty("resource_name").GetString());
        Assert.Equal("an4ldb000003", first.GetProperty("resource_id").GetString());
        Assert.Equal("Database", first.GetProperty("resource_type").GetString());
        var resource = first.GetProperty("resource");
        Assert.Equal("an4ldb000003", resource.GetProperty("id").GetString());
        Assert.Equal("analytics", resource.GetProperty("name").GetString());
        Assert.Matches(Timestamp, resource.GetProperty("created_at").GetString()!);
        Assert.Equal(JsonValueKind.Null, resource.GetProperty("deleted_at").ValueKind);
    }

    [Fact]
    public async Task DeleteAnswers204AndTheTokenIsGone()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        using var response = await sandbox.Client.DeleteAsync($"organizations/acme/service-tokens/{SandboxSeed.UnnamedTokenId}");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());

        await sandbox.SendAsync(HttpMethod.Get, $"organizations/acme/service-tokens/{SandboxSeed.UnnamedTokenId}", null, HttpStatusCode.NotFound);
        await sandbox.SendAsync(HttpMethod.Delete, $"organizations/acme/service-tokens/{SandboxSeed.UnnamedTokenId}", null, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AccessRowsHaveTheCliShape()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        var list = await sandbox.GetAsync($"organizations/acme/service-tokens/{SandboxSeed.OrgAdminTokenId}/access");

        Assert.Equal("list", list.GetProperty("type").GetString());
        var rows = list.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["read_organization", "create_databases", "delete_databases", "read_audit_logs"], rows.Select(r => r.GetProperty("access").GetString()));
        var row = rows[0];
        Assert.Matches("^[a-z0-9]{12}$", row.GetProperty("id").GetString()!);
        Assert.Equal("OrganizationAccess", row.GetProperty("type").GetString());
        var resource = row.GetProperty("resource");
        Assert.Equal("Organization", resource.GetProperty("type").GetString());
        Assert.Equal("acme", resource.GetProperty("name").GetString());
        Assert.Equal("acm3org0001x", resource.GetProperty("id").GetString());
        Assert.Matches(Timestamp, resource.GetProperty("updated_at").GetString()!);
    }

    [Fact]
    public async Task AddAccessReturnsAllAccessesOfTheTokenAndIsIdempotent()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        var path = $"organizations/acme/service-tokens/{SandboxSeed.AnalyticsTokenId}/access";

        var after = await sandbox.SendAsync(HttpMethod.Post, path, """{"database":"prod","access":["read_branch","read_deploy_request"]}""", HttpStatusCode.OK);
        var rows = after.GetProperty("data").EnumerateArray()
            .Select(r => $"{r.GetProperty("resource").GetProperty("name").GetString()}/{r.GetProperty("access").GetString()}/{r.GetProperty("type").GetString()}")
            .ToList();
        Assert.Equal(
            ["analytics/read_database/DatabaseAccess", "analytics/read_branch/DatabaseAccess", "analytics/connect_branch/DatabaseAccess",
             "prod/read_branch/DatabaseAccess", "prod/read_deploy_request/DatabaseAccess"],
            rows);

        var again = await sandbox.SendAsync(HttpMethod.Post, path, """{"database":"prod","access":["read_branch"]}""", HttpStatusCode.OK);
        Assert.Equal(5, again.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task OrganizationAccessIsAddedWithAnEmptyDatabaseAsTheCliSendsIt()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        var path = $"organizations/acme/service-tokens/{SandboxSeed.UnnamedTokenId}/access";
        var after = await sandbox.SendAsync(HttpMethod.Post, path, """{"database":"","access":["create_databases","delete_databases"]}""", HttpStatusCode.OK);

        var rows = after.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.Equal("OrganizationAccess", r.GetProperty("type").GetString());
            Assert.Equal("Organization", r.GetProperty("resource").GetProperty("type").GetString());
            Assert.Equal("acme", r.GetProperty("resource").GetProperty("name").GetString());
        });
    }

    [Fact]
    public async Task DeleteAccessUsesAJsonBodyAndIgnoresPermissionsNotHeld()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        var path = $"organizations/acme/service-tokens/{SandboxSeed.CiDeployTokenId}/access";

        await sandbox.SendAsync(HttpMethod.Delete, path, """{"database":"staging","access":["create_branch","delete_branch","approve_deploy_request"]}""", HttpStatusCode.NoContent);

        var grants = await sandbox.GetAsync($"organizations/acme/service-tokens/{SandboxSeed.CiDeployTokenId}/grants");
        var staging = grants.GetProperty("data").EnumerateArray().Single(g => g.GetProperty("resource_name").GetString() == "staging");
        Assert.Equal(["read_branch", "create_deploy_request"], staging.GetProperty("accesses").EnumerateArray().Select(a => a.GetProperty("access").GetString()));
        var prod = grants.GetProperty("data").EnumerateArray().Single(g => g.GetProperty("resource_name").GetString() == "prod");
        Assert.Equal(3, prod.GetProperty("accesses").GetArrayLength());
    }

    [Fact]
    public async Task DeletingTheLastAccessOnAResourceRemovesItsGrant()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        var token = SandboxSeed.TemporaryTokenId;
        await sandbox.SendAsync(HttpMethod.Delete, $"organizations/acme/service-tokens/{token}/access", """{"database":"prod","access":["connect_production_branch"]}""", HttpStatusCode.NoContent);

        var grants = await sandbox.GetAsync($"organizations/acme/service-tokens/{token}/grants");
        Assert.Equal(0, grants.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task GrantsGroupAccessesPerResourceWithDescriptions()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        var grants = await sandbox.GetAsync($"organizations/acme/service-tokens/{SandboxSeed.CiDeployTokenId}/grants");

        Assert.Equal("list", grants.GetProperty("type").GetString());
        var data = grants.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["prod", "staging"], data.Select(g => g.GetProperty("resource_name").GetString()));
        var prod = data[0];
        Assert.Equal("ServiceTokenGrant", prod.GetProperty("type").GetString());
        Assert.Equal("Database", prod.GetProperty("resource_type").GetString());
        Assert.Equal("pr0ddb000001", prod.GetProperty("resource_id").GetString());
        Assert.Equal("pr0ddb000001", prod.GetProperty("id").GetString());
        var first = prod.GetProperty("accesses")[0];
        Assert.Equal("read_branch", first.GetProperty("access").GetString());
        Assert.Equal("Read a database branch", first.GetProperty("description").GetString());
    }

    [Fact]
    public async Task OrganizationGrantsReportTheOrganizationResource()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        var grants = await sandbox.GetAsync($"organizations/acme/service-tokens/{SandboxSeed.BotTokenId}/grants");
        var grant = Assert.Single(grants.GetProperty("data").EnumerateArray());
        Assert.Equal("acme", grant.GetProperty("resource_name").GetString());
        Assert.Equal("Organization", grant.GetProperty("resource_type").GetString());
        Assert.Equal(6, grant.GetProperty("accesses").GetArrayLength());
    }

    [Fact]
    public async Task AuthenticatingUpdatesLastUsedAt()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 5, 5, 8, 0, 0, TimeSpan.Zero));
        await using var sandbox = await RunningSandbox.StartAsync(time: time);
        var (id, secret) = await sandbox.CreateTokenAsync("""{"name":"probe"}""");
        time.Advance(TimeSpan.FromMinutes(3));

        using var probe = sandbox.NewClient($"{id}:{secret}");
        await sandbox.SendAsync(HttpMethod.Get, "organizations", null, HttpStatusCode.OK, probe);

        var token = await sandbox.GetAsync($"organizations/acme/service-tokens/{id}");
        Assert.Equal("2026-05-05T08:03:00.000Z", token.GetProperty("last_used_at").GetString());
    }
}
