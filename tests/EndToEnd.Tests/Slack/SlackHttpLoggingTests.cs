using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PscaleBot.Bot.Tests.Slack.Fakes;
using static PscaleBot.EndToEnd.Tests.Slack.SlackPeople;

namespace PscaleBot.EndToEnd.Tests.Slack;

/// <summary>
/// Secrets never reach a log line, whatever level an operator turns on: with HttpClient logging at Trace, neither the
/// bot token (a header) nor a response_url or upload URL (capabilities) is logged.
/// </summary>
public sealed class SlackHttpLoggingTests
{
    [Fact]
    public async Task Http_client_logs_at_trace_carry_neither_the_bot_token_nor_a_response_url_nor_an_upload_url()
    {
        await using var bot = await SlackBot.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace",
        });

        var list = bot.NewResponseId();
        Assert.Equal(HttpStatusCode.OK, (await bot.CommandAsync(Alice, Ops, "service-token list", list)).Status);
        await bot.WaitForPostsAsync(list);
        var csv = bot.NewResponseId();
        Assert.Equal(HttpStatusCode.OK, (await bot.CommandAsync(Alice, Ops, "service-token list --format csv", csv)).Status);
        await Eventually.TrueAsync(() => !bot.Slack.SharedFiles.IsEmpty, "the CSV file shared");

        // The level is really on for HttpClient loggers, so nothing below is missing because it was filtered out ...
        var loggers = bot.Bot.Services.GetRequiredService<ILoggerFactory>();
        Assert.True(loggers.CreateLogger("System.Net.Http.HttpClient.slack-response-url.ClientHandler").IsEnabled(LogLevel.Trace));
        // ... and nothing logged holds a secret (with IHttpClientFactory's default logging, all three were there).
        foreach (var record in bot.Bot.Logs.GetSnapshot())
        {
            var text = record.Message + " " + string.Join(" ", record.StructuredState?.Select(p => p.Value) ?? []);
            Assert.DoesNotContain("xoxb-e2e-bot-token", text, StringComparison.Ordinal);
            Assert.DoesNotContain("/response/", text, StringComparison.Ordinal);
            Assert.DoesNotContain("/upload/", text, StringComparison.Ordinal);
        }
    }
}
