using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Bot.Tests.Slack.Fakes;
using PscaleBot.Commands.Audit;
using static PscaleBot.EndToEnd.Tests.Slack.SlackPeople;

namespace PscaleBot.EndToEnd.Tests.Slack;

/// <summary>
/// Issue 9, finding 2: when Slack takes the answer neither through the response_url nor through chat.postEphemeral,
/// the audit says so, and for a created token the requester hears by direct message that its secret is lost.
/// </summary>
public sealed class SlackUndeliverableEndToEndTests : IAsyncLifetime
{
    private SlackBot bot = null!;

    public async Task InitializeAsync() => bot = await SlackBot.StartAsync();

    public async Task DisposeAsync() => await bot.DisposeAsync();

    [Fact]
    public async Task A_create_whose_answer_cannot_be_delivered_is_audited_undelivered_and_the_requester_gets_a_DM_without_the_secret()
    {
        // response_url expired, and chat.postEphemeral refused (not retryable) for every attempt.
        bot.Slack.ResponseUrlStatus = 404;
        bot.Slack.Script("chat.postEphemeral", [.. Enumerable.Range(0, 10).Select(_ => new ScriptedReply(200, """{"ok":false,"error":"channel_not_found"}"""))]);

        var ack = await bot.CommandAsync(Alice, Ops, "service-token create --name e2e-lost", bot.NewResponseId());
        Assert.Equal(System.Net.HttpStatusCode.OK, ack.Status);

        var audit = bot.Bot.Services.GetRequiredService<IAuditLog>();
        AuditEntry? undelivered = null;
        await Eventually.TrueAsync(() =>
        {
            undelivered = audit.RecentAsync(100, CancellationToken.None).GetAwaiter().GetResult()
                .FirstOrDefault(e => e.Outcome.StartsWith("undelivered: ", StringComparison.Ordinal));
            return undelivered is not null;
        }, "an undelivered audit row");
        Assert.Contains("create", undelivered!.Command, StringComparison.Ordinal);
        Assert.Equal($"slack:user:{Alice}", undelivered.UserId);
        Assert.DoesNotContain("pscale_tkn_", $"{undelivered.Command} {undelivered.Reason} {undelivered.Outcome}", StringComparison.Ordinal);

        JsonObject? dm = null;
        await Eventually.TrueAsync(() =>
        {
            dm = bot.Slack.PostedMessages.Where(m => m.Channel == Alice).Select(m => m.Body).FirstOrDefault();
            return dm is not null;
        }, "a direct message to the requester");
        var text = dm!.ToJsonString();
        Assert.Contains("secret is lost", text, StringComparison.Ordinal);
        Assert.Contains("service-token delete ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("pscale_tkn_", text, StringComparison.Ordinal);
        Assert.DoesNotContain(bot.Slack.ApiCalls, c => c.Body.Contains("pscale_tkn_", StringComparison.Ordinal) && !c.Method.StartsWith("chat.postEphemeral", StringComparison.Ordinal));
        Assert.False(bot.Bot.LogsContain("pscale_tkn_"), "a log record holds a token-shaped value");
    }
}
