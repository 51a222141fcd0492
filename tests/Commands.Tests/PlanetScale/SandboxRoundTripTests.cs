using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Sandbox;

namespace PscaleBot.Commands.Tests.PlanetScale;

/// <summary>The real client (Refit, handlers, resilience) against the real sandbox over loopback HTTP.</summary>
public sealed class SandboxRoundTripTests : IAsyncLifetime
{
    private SandboxServer sandbox = null!;
    private ServiceProvider services = null!;

    private IPlanetScaleService Client => services.GetRequiredService<IPlanetScaleService>();

    public async Task InitializeAsync()
    {
        sandbox = await SandboxServer.StartAsync(new SandboxOptions { Faults = { RateLimitPerMinute = 0 } }, CancellationToken.None);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PlanetScale:BaseUrl"] = sandbox.BaseAddress.ToString(),
            ["PlanetScale:ServiceTokenId"] = sandbox.ServiceTokenId,
            ["PlanetScale:ServiceToken"] = sandbox.ServiceToken,
            ["PlanetScale:DefaultOrganization"] = "acme",
            ["PlanetScale:RetryBaseDelay"] = "00:00:00.010",
        }).Build();
        services = new ServiceCollection().AddLogging().AddPlanetScaleClient(configuration).BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await sandbox.DisposeAsync();
    }

    [Fact]
    public async Task A_token_goes_through_its_whole_life()
    {
        var created = await Client.CreateTokenAsync("acme", "round-trip", TimeSpan.FromHours(1), CancellationToken.None);
        Assert.Matches("^[a-z0-9]{12}$", created.Id);
        Assert.StartsWith("pscale_tkn_", created.Secret!.Reveal());
        Assert.NotNull(created.ExpiresAt);

        var shown = await Client.GetTokenAsync("acme", created.Id, CancellationToken.None);
        Assert.Equal("round-trip", shown.Name);
        Assert.Null(shown.Secret);

        var afterAdd = await Client.AddAccessAsync("acme", created.Id, "prod", ["read_branch", "create_branch"], CancellationToken.None);
        Assert.Equal(["create_branch", "read_branch"], afterAdd.Where(a => a.ResourceName == "prod").Select(a => a.Permission).Order());
        await Client.AddAccessAsync("acme", created.Id, null, ["read_databases"], CancellationToken.None);

        var grants = await Client.GetGrantsAsync("acme", created.Id, CancellationToken.None);
        Assert.Contains(grants, g => g is { ResourceKind: ResourceKind.Organization } && g.Permissions.Contains("read_databases"));

        await Client.DeleteAccessAsync("acme", created.Id, "prod", ["create_branch"], CancellationToken.None);
        var access = await Client.GetAccessAsync("acme", created.Id, CancellationToken.None);
        Assert.DoesNotContain(access, a => a.Permission == "create_branch");
        Assert.Contains(access, a => a is { Permission: "read_branch", ResourceKind: ResourceKind.Database, ResourceName: "prod" });

        await Client.DeleteTokenAsync("acme", created.Id, CancellationToken.None);
        Assert.DoesNotContain(await Client.ListTokensAsync("acme", CancellationToken.None), t => t.Id == created.Id);
    }

    [Fact]
    public async Task Lists_follow_every_page()
    {
        var before = (await Client.ListTokensAsync("acme", CancellationToken.None)).Count;
        await Task.WhenAll(Enumerable.Range(0, 120).Select(i => Client.CreateTokenAsync("acme", $"bulk-{i}", null, CancellationToken.None)));

        var tokens = await Client.ListTokensAsync("acme", CancellationToken.None);

        Assert.Equal(before + 120, tokens.Count);
        Assert.Equal(tokens.Count, tokens.Select(t => t.Id).Distinct().Count());
        Assert.All(tokens, t => Assert.Null(t.Secret));
    }

    [Fact]
    public async Task Organizations_and_databases_are_listed()
    {
        Assert.Contains("acme", await Client.ListOrganizationsAsync(CancellationToken.None));
        Assert.Equal(["analytics", "prod", "staging"], (await Client.ListDatabasesAsync("acme", CancellationToken.None)).Order());
    }

    [Fact]
    public async Task A_missing_token_is_worded_for_people()
    {
        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(
            () => Client.GetGrantsAsync("acme", "nosuchtoken1", CancellationToken.None));

        Assert.Equal(PlanetScaleErrorKind.NotFound, error.Kind);
        Assert.Contains("nosuchtoken1", error.Message);
        Assert.Contains("acme", error.Message);
        Assert.NotNull(error.RequestId);
        Assert.DoesNotContain(sandbox.ServiceToken, error.Message);
    }

    [Fact]
    public async Task A_permission_the_api_rejects_comes_back_as_invalid()
    {
        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(
            () => Client.AddAccessAsync("acme", "ci7deploy0a1", null, ["read_branch"], CancellationToken.None));

        Assert.Equal(PlanetScaleErrorKind.Invalid, error.Kind);
        Assert.Equal(422, error.StatusCode);
    }

    [Fact]
    public async Task A_read_that_meets_a_passing_503_is_retried_and_succeeds()
    {
        sandbox.Faults.Force("GET", "/v1/organizations/acme/service-tokens/*/grants", 503, times: 1);

        var grants = await Client.GetGrantsAsync("acme", "ci7deploy0a1", CancellationToken.None);

        Assert.NotEmpty(grants);
    }

    [Fact]
    public async Task An_add_access_that_meets_a_500_is_never_sent_twice()
    {
        sandbox.Faults.Force("POST", "/v1/organizations/acme/service-tokens/*/access", 500, times: 1);

        // One retry would have succeeded, so failing proves there was none.
        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(
            () => Client.AddAccessAsync("acme", "n0grants0000", "prod", ["read_branch"], CancellationToken.None));

        Assert.Equal(PlanetScaleErrorKind.ServerError, error.Kind);
        Assert.Empty(await Client.GetAccessAsync("acme", "n0grants0000", CancellationToken.None));
    }

    [Fact]
    public async Task Request_ids_of_every_call_are_collected_for_the_audit()
    {
        using var scope = PlanetScaleCallContext.Begin();

        await Client.GetGrantsAsync("acme", "ci7deploy0a1", CancellationToken.None);
        await Client.ListDatabasesAsync("acme", CancellationToken.None);

        Assert.Equal(2, scope.Context.RequestIds.Distinct().Count());
    }
}
