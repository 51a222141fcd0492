using PscaleBot.Bot.Tests.Slack.Fakes;
using PscaleBot.EndToEnd.Tests.Slack;
using static PscaleBot.EndToEnd.Tests.Faults.FaultKit;
using static PscaleBot.EndToEnd.Tests.Slack.SlackPeople;

namespace PscaleBot.EndToEnd.Tests.Faults;

/// <summary>How the Slack Web API can fail.</summary>
public enum WebApiFault
{
    Refused,
    Timeout,
    RateLimited,
    ServerError,
    Malformed,
}

/// <summary>
/// The Slack Web API fails (issue 9, finding 1) while <c>response_url</c> works: a command still gets its answer
/// (group bindings just do not apply meanwhile), is audited, readiness stays healthy, and the failure is logged once
/// for the whole burst, not once per request.
/// </summary>
public sealed class SlackWebApiFaultTests
{
    [Theory]
    [InlineData(WebApiFault.Refused)]
    [InlineData(WebApiFault.Timeout)]
    [InlineData(WebApiFault.RateLimited)]
    [InlineData(WebApiFault.ServerError)]
    [InlineData(WebApiFault.Malformed)]
    public async Task Commands_are_answered_audited_and_the_failure_is_logged_once(WebApiFault fault)
    {
        var settings = new Dictionary<string, string?>
        {
            // The workspace is named, so the bot does not depend on auth.test (that case is below).
            ["Slack:AllowedTeamIds:0"] = Team,
            ["Slack:GroupLookupTimeout"] = "00:00:00.3",
            ["Slack:ApiTimeout"] = "00:00:00.2",
            ["Slack:MaxRetryAfter"] = "00:00:01",
            // Groups read on demand, so the outage begins after the mark (preloaded, they would be served from memory).
            ["Slack:PreloadUserGroups"] = "false",
        };
        if (fault == WebApiFault.Refused)
        {
            settings["Slack:ApiBaseUrl"] = RefusingUrl("/api/").ToString();
        }

        await using var bot = await SlackBot.StartAsync(settings: settings);
        Inject(bot.Slack, fault);
        var mark = bot.Bot.LogMark();

        var ids = await bot.ListBurstAsync();

        foreach (var id in ids)
        {
            var answer = Assert.Single(await bot.WaitForPostsAsync(id));
            AssertReadable(TextOf(answer));
            Assert.NotEmpty(SlackTable.Rows(answer)); // the token list itself, not an error
        }

        Assert.All(await bot.Bot.ListAuditAsync(), e => Assert.Equal("ok", e.Outcome));

        bot.Bot.AssertLogged(mark, r => r.Message.Contains("Slack Web API (usergroups.list)", StringComparison.Ordinal), "that the Slack Web API fails");
        bot.Bot.AssertLoggedOnce(mark);
        var (status, body) = await bot.Bot.ReadinessAsync();
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        Assert.StartsWith("Healthy", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_named_workspace_and_no_auth_test_every_command_is_refused_with_a_sentence_and_logged_once()
    {
        // No preload: the start would ask auth.test already, and its failure would be logged before the mark.
        await using var bot = await SlackBot.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Slack:ApiBaseUrl"] = RefusingUrl("/api/").ToString(),
            ["Slack:PreloadUserGroups"] = "false",
        });
        var mark = bot.Bot.LogMark();

        var acks = new SlackAck[Burst];
        await BurstAsync(Burst, async i => acks[i] = await bot.CommandAsync(Bob, Ops, "service-token list", bot.NewResponseId()));

        Assert.All(acks, ack =>
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, ack.Status);
            Assert.Contains("AllowedTeamIds", AssertReadable(ack.Body), StringComparison.Ordinal);
        });
        await Eventually.TrueAsync(() => bot.Bot.AuditAsync().GetAwaiter().GetResult().Count(e => e.Outcome == "refused: workspace not allowed") >= Burst, "a denied audit row per refused command");
        bot.Bot.AssertLogged(mark, r => r.Message.Contains("auth.test failed", StringComparison.Ordinal), "that auth.test fails");
        // The cause once; each refused request is its own security event (a Warning naming team and user) by design.
        bot.Bot.AssertLoggedOnce(mark, r => !r.Message.Contains("refused: not an allowed workspace", StringComparison.Ordinal));
    }

    /// <summary>Makes every Web API call of <paramref name="slack"/> fail the given way (Refused is set by the URL instead).</summary>
    private static void Inject(FakeSlackServer slack, WebApiFault fault)
    {
        switch (fault)
        {
            case WebApiFault.Timeout:
                slack.ApiDelay = TimeSpan.FromSeconds(10);
                break;
            case WebApiFault.RateLimited:
                slack.ApiFault = _ => new ScriptedReply(429, """{"ok":false,"error":"ratelimited"}""", "1");
                break;
            case WebApiFault.ServerError:
                slack.ApiFault = _ => new ScriptedReply(503, """{"ok":false,"error":"service_unavailable"}""");
                break;
            case WebApiFault.Malformed:
                slack.ApiFault = _ => new ScriptedReply(200, "<html><body>Bad gateway</body></html>");
                break;
        }
    }
}
