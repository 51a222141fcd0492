using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Bot.Hosting;
using PscaleBot.EndToEnd.Tests.Faults;

namespace PscaleBot.EndToEnd.Tests.Slack;

/// <summary>
/// Issue 11, start-up: the Slack answer path (planner, Block Kit, CSV file, JSON) and the command path (delivery ledger,
/// reply clients, per-request handlers) are warmed before the bot is ready, without leaving a trace.
/// </summary>
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

    [Fact]
    public async Task The_command_path_is_warmed_before_ready_and_leaves_no_delivery_key_behind()
    {
        await using var bot = await SlackBot.StartAsync();

        var (status, _) = await bot.Bot.ReadinessAsync();
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        Assert.DoesNotContain(bot.Bot.Logs.GetSnapshot(), r => r.Level >= LogLevel.Warning && r.Message.StartsWith("Warm-up of", StringComparison.Ordinal));
        var step = Assert.Single(bot.Bot.Services.GetServices<IStartupWarmup>().OfType<PscaleBot.Bot.Slack.Commands.SlackCommandPathWarmup>());

        // The warm-up recorded its key and forgot it: the key records again now, and only once.
        var ledger = bot.Bot.Services.GetRequiredService<PscaleBot.Bot.Chat.IDeliveryLedger>();
        Assert.True(await ledger.TryRecordAsync(step.Key, TimeSpan.FromMinutes(1), CancellationToken.None), "the warm-up left its delivery key behind");
        Assert.False(await ledger.TryRecordAsync(step.Key, TimeSpan.FromMinutes(1), CancellationToken.None));
    }
}
