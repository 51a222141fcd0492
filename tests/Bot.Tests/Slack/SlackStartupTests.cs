using System.Net;
using PscaleBot.Bot.Tests.Hosting;
using PscaleBot.Bot.Tests.Slack.Fakes;

namespace PscaleBot.Bot.Tests.Slack;

public sealed class SlackStartupTests
{
    [Fact]
    public async Task Enabled_slack_without_a_signing_secret_stops_the_app_naming_the_setting()
    {
        await using var slack = await FakeSlackServer.StartAsync();
        var error = FailedStart.Of(() => new SlackTestHost(slack, new() { ["Slack:SigningSecret"] = "" }));
        Assert.Contains("Slack:SigningSecret", error.ToString());
    }

    [Fact]
    public async Task Disabled_slack_starts_and_its_endpoints_are_not_there()
    {
        await using var slack = await FakeSlackServer.StartAsync();
        await using var host = new SlackTestHost(slack, new() { ["Slack:Enabled"] = "false", ["Slack:SigningSecret"] = null, ["Slack:BotToken"] = null });
        using var client = host.CreateClient();
        var response = await client.PostAsync("/slack/commands", new StringContent("a=b"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
    }
}
