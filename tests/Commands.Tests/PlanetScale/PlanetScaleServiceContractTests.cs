using System.Net;
using System.Text.Json;
using PscaleBot.Commands.PlanetScale;

namespace PscaleBot.Commands.Tests.PlanetScale;

public sealed class PlanetScaleServiceContractTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task ListTokens_follows_every_page_with_per_page_100_and_maps_nullable_fields()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenFixture("tokens-page1.json").ThenFixture("tokens-page2.json");

        var tokens = await harness.Service.ListTokensAsync("acme", None);

        Assert.Equal(["txhc257pxjuc", "hnmkbklsndgi", "6hnhqpmd0fv7"], tokens.Select(t => t.Id));
        var first = tokens[0];
        Assert.Equal("deploy-bot", first.Name);
        Assert.Equal(new DateTimeOffset(2021, 1, 14, 10, 19, 23, TimeSpan.Zero), first.CreatedAt);
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), first.ExpiresAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero), first.LastUsedAt);
        Assert.Null(tokens[1].Name);
        Assert.Null(tokens[1].ExpiresAt);
        Assert.Null(tokens[1].LastUsedAt);
        Assert.All(tokens, t => Assert.Null(t.Secret));

        var requests = harness.Handler.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Equal("https://api.planetscale.test/v1/organizations/acme/service-tokens?page=1&per_page=100", requests[0].Uri.AbsoluteUri);
        Assert.Equal("https://api.planetscale.test/v1/organizations/acme/service-tokens?page=2&per_page=100", requests[1].Uri.AbsoluteUri);
        Assert.All(requests, r => Assert.Equal(HttpMethod.Get, r.Method));
    }

    [Fact]
    public async Task ListTokens_reads_the_older_minimal_envelope()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenFixture("tokens-minimal.json");

        var tokens = await harness.Service.ListTokensAsync("acme", None);

        var token = Assert.Single(tokens);
        Assert.Equal(new ServiceToken("txhc257pxjuc", "list-token", new DateTimeOffset(2021, 1, 14, 10, 19, 23, TimeSpan.Zero), null, null), token);
        Assert.Single(harness.Handler.Requests);
    }

    [Fact]
    public async Task CreateToken_sends_name_and_ttl_in_seconds_and_returns_the_secret_once_hidden_from_ToString()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenFixture("token-created.json");

        var token = await harness.Service.CreateTokenAsync("acme", "ci-deploy", TimeSpan.FromHours(1), None);

        var request = Assert.Single(harness.Handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("/v1/organizations/acme/service-tokens", request.Uri.AbsolutePath);
        Assert.Equal("application/json", request.ContentType);
        Assert.Equal("""{"name":"ci-deploy","ttl":3600}""", request.Body);

        Assert.Equal("abc123def456", token.Id);
        Assert.Equal("ci-deploy", token.Name);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 19, 0, 0, TimeSpan.Zero), token.ExpiresAt);
        Assert.Null(token.LastUsedAt);
        Assert.NotNull(token.Secret);
        Assert.Equal("pscale_tkn_CREATEDSECRETVALUE0123456789", token.Secret!.Reveal());
        Assert.DoesNotContain("CREATEDSECRET", token.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateToken_without_name_or_ttl_sends_an_empty_object()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenFixture("token-created.json");

        await harness.Service.CreateTokenAsync("acme", null, null, None);

        Assert.Equal("{}", Assert.Single(harness.Handler.Requests).Body);
    }

    [Fact]
    public async Task CreateToken_whose_answer_lacks_the_secret_is_reported_as_malformed()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenJson(HttpStatusCode.OK, ScriptedPlanetScaleHandler.Fixture("token-get.json"));

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(() => harness.Service.CreateTokenAsync("acme", "x", null, None));

        Assert.Equal(PlanetScaleErrorKind.Malformed, error.Kind);
        Assert.Equal(
            "PlanetScale's answer to \"create a service token in organization `acme`\" could not be read: the new token's secret was missing, and PlanetScale shows it only once; delete the token and create another. The change may have happened — run `list` to check whether the token was created.",
            error.Message);
    }

    [Fact]
    public async Task GetToken_maps_the_token_and_never_carries_a_secret_even_if_one_is_sent()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenFixture("token-created.json");

        var token = await harness.Service.GetTokenAsync("acme", "abc123def456", None);

        Assert.Equal("abc123def456", token.Id);
        Assert.Null(token.Secret);
        Assert.Equal("/v1/organizations/acme/service-tokens/abc123def456", Assert.Single(harness.Handler.Requests).Uri.AbsolutePath);
    }

    [Fact]
    public async Task GetToken_reads_the_full_object_with_its_accesses()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenFixture("token-get.json");

        var token = await harness.Service.GetTokenAsync("acme", "abc123def456", None);

        Assert.Equal(new DateTimeOffset(2026, 11, 28, 18, 30, 0, TimeSpan.Zero), token.LastUsedAt);
        Assert.Null(token.ExpiresAt);
    }

    [Fact]
    public async Task DeleteToken_accepts_204_without_a_body()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenStatus(HttpStatusCode.NoContent);

        await harness.Service.DeleteTokenAsync("acme", "abc123def456", None);

        var request = Assert.Single(harness.Handler.Requests);
        Assert.Equal(HttpMethod.Delete, request.Method);
        Assert.Equal("/v1/organizations/acme/service-tokens/abc123def456", request.Uri.AbsolutePath);
    }

    [Fact]
    public async Task DeleteToken_accepts_200_with_an_empty_body_as_the_sdk_test_server_sends()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenStatus(HttpStatusCode.OK);

        await harness.Service.DeleteTokenAsync("acme", "abc123def456", None);

        Assert.Single(harness.Handler.Requests);
    }

    [Fact]
    public async Task GetAccess_maps_database_and_organization_rows()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenFixture("access-rows.json");

        var rows = await harness.Service.GetAccessAsync("acme", "abc123def456", None);

        Assert.Equal(
            [
                new TokenAccess("hjqui654yu71", "read_branch", ResourceKind.Database, "prod"),
                new TokenAccess("hjqui654yu72", "connect_branch", ResourceKind.Database, "prod"),
                new TokenAccess("kq2wq9b8m3xr", "create_databases", ResourceKind.Organization, "acme"),
            ],
            rows);
        Assert.Equal("https://api.planetscale.test/v1/organizations/acme/service-tokens/abc123def456/access?page=1&per_page=100",
            Assert.Single(harness.Handler.Requests).Uri.AbsoluteUri);
    }

    [Fact]
    public async Task AddAccess_posts_database_and_access_array_then_rereads_all_rows()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenFixture("access-added.json").ThenFixture("access-rows.json");

        var rows = await harness.Service.AddAccessAsync("acme", "abc123def456", "prod", ["read_branch", "connect_branch"], None);

        var post = harness.Handler.Requests[0];
        Assert.Equal(HttpMethod.Post, post.Method);
        Assert.Equal("/v1/organizations/acme/service-tokens/abc123def456/access", post.Uri.AbsolutePath);
        Assert.Equal("application/json", post.ContentType);
        Assert.Equal("""{"database":"prod","access":["read_branch","connect_branch"]}""", post.Body);
        Assert.Equal(HttpMethod.Get, harness.Handler.Requests[1].Method);
        Assert.Equal(3, rows.Count);
    }

    [Fact]
    public async Task AddAccess_answers_with_the_post_rows_when_the_reread_fails()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenFixture("access-added.json").ThenJson(HttpStatusCode.Forbidden, """{"code":"forbidden","message":"Forbidden"}""");

        var rows = await harness.Service.AddAccessAsync("acme", "abc123def456", "prod", ["connect_branch"], None);

        Assert.Equal([new TokenAccess("hjqui654yu72", "connect_branch", ResourceKind.Database, "prod")], rows);
    }

    [Fact]
    public async Task AddAccess_at_organization_level_sends_an_empty_database()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenFixture("access-rows.json").ThenFixture("access-rows.json");

        await harness.Service.AddAccessAsync("acme", "abc123def456", null, ["create_databases"], None);

        Assert.Equal("""{"database":"","access":["create_databases"]}""", harness.Handler.Requests[0].Body);
    }

    [Fact]
    public async Task DeleteAccess_sends_a_delete_with_a_json_body()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenStatus(HttpStatusCode.NoContent);

        await harness.Service.DeleteAccessAsync("acme", "abc123def456", "prod", ["read_branch", "delete_branch"], None);

        var request = Assert.Single(harness.Handler.Requests);
        Assert.Equal(HttpMethod.Delete, request.Method);
        Assert.Equal("/v1/organizations/acme/service-tokens/abc123def456/access", request.Uri.AbsolutePath);
        Assert.Equal("application/json", request.ContentType);
        Assert.Equal("""{"database":"prod","access":["read_branch","delete_branch"]}""", request.Body);
    }

    [Fact]
    public async Task GetGrants_maps_grants_per_resource()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenFixture("grants.json");

        var grants = await harness.Service.GetGrantsAsync("acme", "abc123def456", None);

        Assert.Equal(2, grants.Count);
        Assert.Equal("planetscale", grants[0].ResourceName);
        Assert.Equal(ResourceKind.Database, grants[0].ResourceKind);
        Assert.Equal(["read_branch", "connect_branch"], grants[0].Permissions);
        Assert.Equal("acme", grants[1].ResourceName);
        Assert.Equal(ResourceKind.Organization, grants[1].ResourceKind);
        Assert.Equal(["create_databases"], grants[1].Permissions);
        Assert.Equal("/v1/organizations/acme/service-tokens/abc123def456/grants", Assert.Single(harness.Handler.Requests).Uri.AbsolutePath);
    }

    [Theory]
    [InlineData("database", ResourceKind.Database)]
    [InlineData("DATABASE", ResourceKind.Database)]
    [InlineData(" Databases ", ResourceKind.Database)]
    [InlineData("organization", ResourceKind.Organization)]
    [InlineData("Organisation", ResourceKind.Organization)]
    public async Task GetGrants_reads_resource_type_leniently(string resourceType, ResourceKind expected)
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenJson(HttpStatusCode.OK, Grant(resourceType, "\"x\""));

        var grant = Assert.Single(await harness.Service.GetGrantsAsync("acme", "abc123def456", None));

        Assert.Equal(expected, grant.ResourceKind);
    }

    [Fact]
    public async Task An_organization_grant_without_a_name_is_named_after_the_organization_in_the_path()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenJson(HttpStatusCode.OK, Grant("Organization", "null"));

        var grant = Assert.Single(await harness.Service.GetGrantsAsync("acme", "abc123def456", None));

        Assert.Equal("acme", grant.ResourceName);
    }

    [Fact]
    public async Task A_grant_on_an_unknown_kind_of_resource_is_reported_rather_than_misfiled()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenJson(HttpStatusCode.OK, Grant("Branch", "\"main\""));

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(() => harness.Service.GetGrantsAsync("acme", "abc123def456", None));

        Assert.Equal(PlanetScaleErrorKind.Malformed, error.Kind);
        Assert.Equal(
            "PlanetScale's answer to \"fetch the grants of token `abc123def456` in organization `acme`\" could not be read: PlanetScale reported access on a resource of type `Branch`, which this bot does not know yet (it knows Database and Organization).",
            error.Message);
    }

    [Fact]
    public async Task ListOrganizations_returns_the_names()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenFixture("organizations.json");

        var organizations = await harness.Service.ListOrganizationsAsync(None);

        Assert.Equal(["acme", "acme-labs"], organizations);
        Assert.Equal("https://api.planetscale.test/v1/organizations?page=1&per_page=100", Assert.Single(harness.Handler.Requests).Uri.AbsoluteUri);
    }

    [Fact]
    public async Task ListDatabases_follows_pages()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenFixture("databases-page1.json").ThenFixture("databases-page2.json");

        var databases = await harness.Service.ListDatabasesAsync("acme", None);

        Assert.Equal(["prod", "staging", "analytics"], databases);
        Assert.Equal("/v1/organizations/acme/databases", harness.Handler.Requests[1].Uri.AbsolutePath);
        Assert.Equal("?page=2&per_page=100", harness.Handler.Requests[1].Uri.Query);
    }

    [Fact]
    public async Task Path_segments_are_escaped_so_a_token_id_cannot_change_the_path()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenFixture("token-get.json");

        await harness.Service.GetTokenAsync("acme", "../../x", None);

        Assert.Equal("/v1/organizations/acme/service-tokens/..%2F..%2Fx", Assert.Single(harness.Handler.Requests).Uri.AbsolutePath);
    }

    [Fact]
    public void Dto_ToString_never_prints_the_token()
    {
        var dto = JsonSerializer.Deserialize<PscaleBot.Commands.PlanetScale.Api.ServiceTokenDto>(
            ScriptedPlanetScaleHandler.Fixture("token-created.json"), PscaleBot.Commands.PlanetScale.Api.PlanetScaleJson.Options)!;

        Assert.Equal("pscale_tkn_CREATEDSECRETVALUE0123456789", dto.Token);
        Assert.DoesNotContain("pscale_tkn_", dto.ToString(), StringComparison.Ordinal);
    }

    private static string Grant(string resourceType, string resourceNameJson) =>
        $$"""{"type":"list","next_page":null,"prev_page":null,"data":[{"id":"g1","type":"ServiceTokenGrant","resource_name":{{resourceNameJson}},"resource_type":"{{resourceType}}","resource_id":"r1","accesses":[{"access":"read_branch","description":"d"}]}]}""";
}
