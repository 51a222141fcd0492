using System.Net;
using PscaleBot.Bot.Tests.Slack.Fakes;
using PscaleBot.Bot.Tests.Teams.Support;
using PscaleBot.EndToEnd.Tests.Teams;
using static PscaleBot.EndToEnd.Tests.Faults.FaultKit;

namespace PscaleBot.EndToEnd.Tests.Faults;

/// <summary>How the Bot Connector can fail.</summary>
public enum ConnectorFault
{
    Refused,
    ServerError,
    RateLimited,
    Timeout,
}

/// <summary>
/// The Bot Connector fails: Teams cannot show anything, so every answer is audited <c>undelivered: …</c>, the bot
/// keeps taking work (the activity is acknowledged 200 and readiness stays healthy), and the outage is logged once
/// for the burst, not once per answer.
/// </summary>
public sealed class BotConnectorFaultTests : TeamsEndToEndBase
{
    private const int Messages = 8;

    protected override Dictionary<string, string?> ExtraSettings => new()
    {
        ["Teams:ConnectorTimeout"] = "00:00:00.3",
        ["BackgroundWork:MaxConcurrency"] = "8",
    };

    [Theory]
    [InlineData(ConnectorFault.Refused)]
    [InlineData(ConnectorFault.ServerError)]
    [InlineData(ConnectorFault.RateLimited)]
    [InlineData(ConnectorFault.Timeout)]
    public async Task Every_answer_is_audited_undelivered_and_the_outage_is_logged_once(ConnectorFault fault)
    {
        var serviceUrl = Connector.ServiceUrl;
        switch (fault)
        {
            case ConnectorFault.Refused:
                serviceUrl = RefusingUrl("/teams/").ToString();
                break;
            case ConnectorFault.ServerError:
                Connector.ActivityStatus = 500;
                break;
            case ConnectorFault.RateLimited:
                Connector.ActivityStatus = 429;
                break;
            case ConnectorFault.Timeout:
                Connector.Delay = TimeSpan.FromSeconds(10);
                break;
        }

        var mark = Bot.LogMark();
        await BurstAsync(Messages, async _ =>
        {
            var activity = ActivityJson.Message(serviceUrl, "<at>pscale</at> service-token list");
            using var response = await SendValidAsync(activity);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        });

        await Eventually.TrueAsync(() => Bot.AuditAsync().GetAwaiter().GetResult().Count(e => e.Outcome.StartsWith("undelivered: ", StringComparison.Ordinal)) >= Messages,
            "an undelivered audit row per answer", 30);
        // Each command: its own row (it ran: ok), then the row saying its answer never reached Teams.
        var rows = (await Bot.AuditAsync()).Where(e => e.Command.Contains("list", StringComparison.Ordinal)).ToList();
        Assert.Equal(Messages, rows.Count(e => e.Outcome == "ok"));
        Assert.Equal(Messages, rows.Count(e => e.Outcome.StartsWith("undelivered: ", StringComparison.Ordinal)));
        Bot.AssertLogged(mark, r => r.Message.Contains("Delivering answers to Teams", StringComparison.Ordinal), "that answers cannot be delivered to Teams");
        Bot.AssertLoggedOnce(mark);
        var (status, body) = await Bot.ReadinessAsync();
        Assert.Equal(HttpStatusCode.OK, status); // the connector is per conversation (serviceUrl), not a readiness dependency
        Assert.StartsWith("Healthy", body, StringComparison.Ordinal);
    }
}
