using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Bot.Hosting;
using PscaleBot.EndToEnd.Tests.Faults;

namespace PscaleBot.EndToEnd.Tests.Slack;

/// <summary>Issue 11, start-up: the Slack answer path (planner, Block Kit, CSV file, JSON) is warmed before the bot is ready.</summary>
public sealed class SlackAnswerWarmupTests
{
    [Fact]
    public async Task The_Slack_answer_rendering_is_warmed_before_ready_and_does_not_fail()
    {
        await using var bot = await SlackBot.StartAsync();

        var (status, _) = await bot.Bot.ReadinessAsync();
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        Assert.DoesNotContain(bot.Bot.Logs.GetSnapshot(), r => r.Level >= LogLevel.Warning && r.Message.StartsWith("Warm-up of", StringComparison.Ordinal));
        var step = Assert.Single(bot.Bot.Services.GetServices<IStartupWarmup>(), s => s.Name == "Slack answer rendering");
        await step.WarmAsync(CancellationToken.None); // the samples still plan and serialize (it ran once already, quietly)
    }
}
