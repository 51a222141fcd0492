using PscaleBot.Bot.Tests.Slack.Fakes;
using PscaleBot.EndToEnd.Tests.Slack;
using static PscaleBot.EndToEnd.Tests.Faults.FaultKit;
using static PscaleBot.EndToEnd.Tests.Slack.SlackPeople;

namespace PscaleBot.EndToEnd.Tests.Faults;

/// <summary>How a <c>response_url</c> can fail.</summary>
public enum ResponseUrlFault
{
    Refused,
    ServerError,
    Timeout,
}

/// <summary>
/// The <c>response_url</c> fails: the answer goes through <c>chat.postEphemeral</c> instead, the command is audited
/// ok, and the failure of the route is logged once for the burst.
/// </summary>
public sealed class ResponseUrlFaultTests
{
    [Theory]
    [InlineData(ResponseUrlFault.Refused)]
    [InlineData(ResponseUrlFault.ServerError)]
    [InlineData(ResponseUrlFault.Timeout)]
    public async Task The_answer_goes_by_chat_postEphemeral_is_audited_ok_and_the_failure_is_logged_once(ResponseUrlFault fault)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Slack:AllowedTeamIds:0"] = Team,
            ["Slack:ResponseUrlTimeout"] = "00:00:00.3",
        };
        if (fault == ResponseUrlFault.Refused)
        {
            // Only the refusing host's port differs: 127.0.0.1 stays an allowed response_url host.
            settings["Slack:ResponseUrlHosts:0"] = "127.0.0.1";
        }

        await using var bot = await SlackBot.StartAsync(settings: settings);
        var refusing = RefusingUrl();
        switch (fault)
        {
            case ResponseUrlFault.ServerError:
                bot.Slack.ResponseUrlStatus = 500;
                break;
            case ResponseUrlFault.Timeout:
                bot.Slack.ResponseUrlDelay = TimeSpan.FromSeconds(10);
                break;
        }

        var mark = bot.Bot.LogMark();
        await BurstAsync(Burst, async i =>
        {
            var ack = fault == ResponseUrlFault.Refused
                ? await bot.CommandWithResponseUrlAsync(Bob, Ops, "service-token list", new Uri(refusing, $"/response/r{i}").ToString())
                : await bot.CommandAsync(Bob, Ops, "service-token list", bot.NewResponseId());
            Assert.Equal(System.Net.HttpStatusCode.OK, ack.Status);
        });

        await Eventually.TrueAsync(() => bot.Slack.JsonCalls("chat.postEphemeral").Count >= Burst, "every answer by chat.postEphemeral");
        Assert.All(bot.Slack.JsonCalls("chat.postEphemeral"), m =>
        {
            AssertReadable(TextOf(m));
            Assert.Equal(Bob, (string?)m["user"]);
            Assert.NotEmpty(SlackTable.Rows(m));
        });

        Assert.All(await bot.Bot.ListAuditAsync(), e => Assert.Equal("ok", e.Outcome));
        bot.Bot.AssertLogged(mark, r => r.Message.Contains("response_url", StringComparison.Ordinal), "that response_url posts fail");
        bot.Bot.AssertLoggedOnce(mark);
        Assert.StartsWith("Healthy", (await bot.Bot.ReadinessAsync()).Body, StringComparison.Ordinal);
    }
}
