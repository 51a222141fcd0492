using System.Net;
using PscaleBot.Sandbox.State;

namespace PscaleBot.Sandbox.Tests.Api;

public sealed class ErrorResponseTests
{
    [Theory]
    [InlineData(null, "Authentication required")]
    [InlineData("pscalebot001", "Malformed")]
    [InlineData("pscalebot001:pscale_tkn_wrongwrongwrongwrongwrongwrongwrongwrongwro", "Invalid service token")]
    [InlineData("zzzzzzzzzzzz:pscale_tkn_wrongwrongwrongwrongwrongwrongwrongwrongwro", "Invalid service token")]
    public async Task MissingOrBadServiceTokenCredentialsAre401(string? authorization, string message)
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        using var client = sandbox.NewClient(authorization);
        var error = await sandbox.SendAsync(HttpMethod.Get, "organizations/acme/service-tokens", null, HttpStatusCode.Unauthorized, client);
        Assert.Equal("unauthorized", error.GetProperty("code").GetString());
        Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheBotIdWithAnotherTokensSecretIs401()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        var (_, secret) = await sandbox.CreateTokenAsync();
        using var client = sandbox.NewClient($"{sandbox.Server.ServiceTokenId}:{secret}");
        await sandbox.SendAsync(HttpMethod.Get, "organizations", null, HttpStatusCode.Unauthorized, client);
    }

    [Fact]
    public async Task ABadBearerTokenGetsTheOAuthErrorBody()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        using var client = sandbox.NewClient("Bearer not-the-access-token");
        var error = await sandbox.SendAsync(HttpMethod.Get, "organizations", null, HttpStatusCode.Unauthorized, client);
        Assert.Equal("invalid_token", error.GetProperty("error").GetString());
        Assert.Equal("unauthorized", error.GetProperty("state").GetString());
    }

    [Theory]
    [InlineData("GET", "organizations/acme/service-tokens/doesnotexist")]
    [InlineData("DELETE", "organizations/acme/service-tokens/doesnotexist")]
    [InlineData("GET", "organizations/acme/service-tokens/doesnotexist/access")]
    [InlineData("GET", "organizations/acme/service-tokens/doesnotexist/grants")]
    [InlineData("GET", "organizations/nosuchorg/service-tokens")]
    [InlineData("GET", "organizations/globex/service-tokens")]
    [InlineData("GET", "organizations/globex/service-tokens/gl0bex0tkn01")]
    [InlineData("GET", "organizations/acme/no-such-endpoint")]
    public async Task WhatTheCallerCannotSeeIsAPlain404(string method, string path)
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        var error = await sandbox.SendAsync(new HttpMethod(method), path, null, HttpStatusCode.NotFound);
        Assert.Equal("not_found", error.GetProperty("code").GetString());
        Assert.Equal("Not Found", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task ATokenWithoutReadServiceTokensGets404NotForbidden()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        var (id, secret) = await sandbox.CreateTokenAsync();
        await sandbox.SendAsync(HttpMethod.Post, $"organizations/acme/service-tokens/{id}/access", """{"database":"","access":["read_organization"]}""", HttpStatusCode.OK);
        using var client = sandbox.NewClient($"{id}:{secret}");

        await sandbox.SendAsync(HttpMethod.Get, "organizations/acme/service-tokens", null, HttpStatusCode.NotFound, client);
        await sandbox.SendAsync(HttpMethod.Post, "organizations/acme/service-tokens", "{}", HttpStatusCode.NotFound, client);

        await sandbox.SendAsync(HttpMethod.Post, $"organizations/acme/service-tokens/{id}/access", """{"database":"","access":["read_service_tokens"]}""", HttpStatusCode.OK);
        await sandbox.SendAsync(HttpMethod.Get, "organizations/acme/service-tokens", null, HttpStatusCode.OK, client);
        await sandbox.SendAsync(HttpMethod.Delete, $"organizations/acme/service-tokens/{SandboxSeed.UnnamedTokenId}", null, HttpStatusCode.NotFound, client);
    }

    [Fact]
    public async Task AddingAccessOnAnUnknownDatabaseIs404()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        var error = await sandbox.SendAsync(HttpMethod.Post, $"organizations/acme/service-tokens/{SandboxSeed.UnnamedTokenId}/access",
            """{"database":"billing","access":["read_branch"]}""", HttpStatusCode.NotFound);
        Assert.Equal("not_found", error.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("""{"database":"prod","access":["read_branches","manage_passwords"]}""", "read_branches, manage_passwords")]
    [InlineData("""{"database":"prod","access":["read_branch","nope"]}""", "nope")]
    [InlineData("""{"database":"","access":["read_branch"]}""", "read_branch is a database access")]
    [InlineData("""{"access":["read_branch","connect_branch"]}""", "read_branch, connect_branch are database accesses")]
    [InlineData("""{"database":"prod","access":["create_databases"]}""", "create_databases is an organization access")]
    [InlineData("""{"database":"prod","access":[]}""", "non-empty list")]
    [InlineData("""{"database":"prod"}""", "non-empty list")]
    [InlineData("""{"database":"prod","access":[7]}""", "as strings")]
    public async Task InvalidAccessRequestsAre422NamingTheProblem(string body, string message)
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Delete })
        {
            var error = await sandbox.SendAsync(method, $"organizations/acme/service-tokens/{SandboxSeed.UnnamedTokenId}/access", body, HttpStatusCode.UnprocessableEntity);
            Assert.Equal("unprocessable", error.GetProperty("code").GetString());
            Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        var grants = await sandbox.GetAsync($"organizations/acme/service-tokens/{SandboxSeed.UnnamedTokenId}/grants");
        Assert.Equal(0, grants.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task AnUnroutedMethodIsAJson404LikeAnyUnknownRoute()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        var error = await sandbox.SendAsync(HttpMethod.Put, "organizations/acme/service-tokens", "{}", HttpStatusCode.NotFound);
        Assert.Equal("not_found", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task TheBearerAdminCanManageTokensInAnyOrganization()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        using var admin = sandbox.NewClient("Bearer " + sandbox.Server.AccessToken);
        var created = await sandbox.SendAsync(HttpMethod.Post, "organizations/globex/service-tokens", """{"name":"by-admin"}""", HttpStatusCode.OK, admin);
        Assert.Equal("User", created.GetProperty("actor_type").GetString());
        Assert.Equal("Sandbox Admin", created.GetProperty("actor_display_name").GetString());

        var list = await sandbox.GetAsync("organizations/globex/service-tokens", admin);
        Assert.Equal(2, list.GetProperty("total_count").GetInt32());
        await sandbox.SendAsync(HttpMethod.Get, $"organizations/globex/service-tokens/{created.GetProperty("id").GetString()}", null, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ATokenFromAnotherOrganizationIsNotFoundUnderThisOne()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        await sandbox.SendAsync(HttpMethod.Get, $"organizations/acme/service-tokens/{SandboxSeed.HiddenOrgTokenId}", null, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task EveryResponseCarriesADistinctRequestId()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        using var ok = await sandbox.Client.GetAsync("organizations");
        using var notFound = await sandbox.Client.GetAsync("organizations/acme/service-tokens/missing00000");
        using var anonymous = sandbox.NewClient(null);
        using var unauthorized = await anonymous.GetAsync("organizations");

        var ids = new[] { ok, notFound, unauthorized }.Select(r => Assert.Single(r.Headers.GetValues("X-Request-Id"))).ToList();
        Assert.All(ids, id => Assert.False(string.IsNullOrWhiteSpace(id)));
        Assert.Equal(3, ids.Distinct().Count());
    }
}
