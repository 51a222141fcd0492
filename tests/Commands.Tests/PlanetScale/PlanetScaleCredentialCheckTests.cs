using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Commands.PlanetScale;

namespace PscaleBot.Commands.Tests.PlanetScale;

public sealed class PlanetScaleCredentialCheckTests
{
    [Fact]
    public async Task Reports_healthy_when_the_default_organization_is_visible()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenFixture("organizations.json");

        var report = await harness.Provider.GetRequiredService<PlanetScaleCredentialCheck>().CheckAsync(CancellationToken.None);

        Assert.True(report.IsHealthy);
        Assert.Equal("PlanetScale credentials accepted; organization `acme` is visible.", report.Summary);
        Assert.Equal(["acme", "acme-labs"], report.VisibleOrganizations);
        Assert.Equal("/v1/organizations", Assert.Single(harness.Handler.Requests).Uri.AbsolutePath);
    }

    [Fact]
    public async Task Reports_an_invisible_organization_with_a_suggestion()
    {
        using var harness = PlanetScaleClientHarness.Create(s => s["PlanetScale:DefaultOrganization"] = "acme-lab");
        harness.Handler.ThenFixture("organizations.json");

        var report = await harness.Provider.GetRequiredService<PlanetScaleCredentialCheck>().CheckAsync(CancellationToken.None);

        Assert.True(report.CredentialsAccepted);
        Assert.False(report.OrganizationVisible);
        Assert.False(report.IsHealthy);
        Assert.Equal(
            "PlanetScale credentials accepted, but organization `acme-lab` is not among the 2 they can see (`acme`, `acme-labs`). Did you mean `acme-labs`? Check PlanetScale:DefaultOrganization.",
            report.Summary);
    }

    [Fact]
    public async Task Reports_rejected_credentials_without_throwing()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenJson(HttpStatusCode.Unauthorized, """{"code":"unauthorized","message":"Unauthorized"}""");

        var report = await harness.Provider.GetRequiredService<PlanetScaleCredentialCheck>().CheckAsync(CancellationToken.None);

        Assert.False(report.CredentialsAccepted);
        Assert.Equal(PlanetScaleErrorKind.Unauthorized, report.FailureKind);
        Assert.Equal(
            "PlanetScale credential check failed: PlanetScale rejected the bot's service token (401): it is invalid, expired or was deleted. An operator must check PlanetScale:ServiceTokenId and PlanetScale:ServiceToken.",
            report.Summary);
    }
}
