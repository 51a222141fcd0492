using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Commands.PlanetScale;

namespace PscaleBot.Commands.Tests.PlanetScale;

/// <summary>The registration exactly as the host uses it (real SocketsHttpHandler), against a loopback server.</summary>
public sealed class PlanetScaleLoopbackTests
{
    [Fact]
    public async Task A_call_over_real_http_keeps_the_v1_path_and_sends_the_credentials()
    {
        await using var server = new LoopbackHttpServer();
        server.Respond(200, "OK", ScriptedPlanetScaleHandler.Fixture("tokens-minimal.json"), "X-Request-Id: loop-1");
        using var provider = Build(server.Port);

        using var scope = PlanetScaleCallContext.Begin();
        var tokens = await provider.GetRequiredService<IPlanetScaleService>().ListTokensAsync("acme", CancellationToken.None);

        Assert.Equal("txhc257pxjuc", Assert.Single(tokens).Id);
        var head = Assert.Single(server.Requests);
        Assert.StartsWith("GET /v1/organizations/acme/service-tokens?page=1&per_page=100 HTTP/1.1\r\n", head, StringComparison.Ordinal);
        Assert.Contains($"\r\nAuthorization: {PlanetScaleClientHarness.ServiceTokenId}:{PlanetScaleClientHarness.ServiceTokenSecret}\r\n", head, StringComparison.Ordinal);
        Assert.Equal(["loop-1"], scope.Context.RequestIds);
    }

    [Fact]
    public async Task The_real_primary_handler_does_not_follow_a_redirect_to_another_host()
    {
        await using var other = new LoopbackHttpServer();
        await using var server = new LoopbackHttpServer();
        // "localhost" is another host name than the configured 127.0.0.1, although it reaches the same machine.
        server.Respond(302, "Found", null, $"Location: http://localhost:{other.Port}/steal");
        other.Respond(200, "OK", ScriptedPlanetScaleHandler.Fixture("tokens-minimal.json"));
        using var provider = Build(server.Port);

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(
            () => provider.GetRequiredService<IPlanetScaleService>().ListTokensAsync("acme", CancellationToken.None));

        Assert.Equal(PlanetScaleErrorKind.Malformed, error.Kind);
        Assert.Contains("with a redirect to another host (localhost)", error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
        Assert.Empty(other.Requests);
    }

    private static ServiceProvider Build(int port)
    {
        var settings = PlanetScaleClientHarness.DefaultSettings();
        settings["PlanetScale:BaseUrl"] = $"http://127.0.0.1:{port}/v1";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPlanetScaleClient(configuration);
        return services.BuildServiceProvider();
    }
}
