using PscaleBot.EndToEnd.Tests.Support;

namespace PscaleBot.EndToEnd.Tests.Hosting;

public sealed class BotUnderTestTests
{
    [Fact]
    public async Task The_bot_answers_health_probes_over_real_http_with_the_core_configured()
    {
        await using var bot = await BotUnderTest.StartAsync(new BotSetup { PolicyYaml = Policies.ShellAdmin });
        using var client = bot.CreateClient();

        var live = await client.GetAsync("/healthz");
        var ready = await client.GetAsync("/readyz");

        Assert.Equal(System.Net.HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("127.0.0.1", bot.BaseAddress.Host);
    }
}
