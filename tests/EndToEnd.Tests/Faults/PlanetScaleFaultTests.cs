using PscaleBot.EndToEnd.Tests.Slack;
using PscaleBot.Sandbox.Faults;
using static PscaleBot.EndToEnd.Tests.Faults.FaultKit;
using static PscaleBot.EndToEnd.Tests.Slack.SlackPeople;

namespace PscaleBot.EndToEnd.Tests.Faults;

/// <summary>How PlanetScale's API can fail.</summary>
public enum ApiFault
{
    Refused,
    Timeout,
    RateLimited,
    ServerError,
    Malformed,
}

/// <summary>
/// PlanetScale fails: every command is answered with a sentence that says PlanetScale failed and what to do, each is
/// audited as an error, and the failure is logged once for the burst.
/// </summary>
public sealed class PlanetScaleFaultTests
{
    [Theory]
    [InlineData(ApiFault.Refused, "could not reach PlanetScale")]
    [InlineData(ApiFault.Timeout, "did not answer")]
    // A 429 that keeps coming: the budget waits out each Retry-After until the total timeout, then says to try again.
    [InlineData(ApiFault.RateLimited, "try again in a minute")]
    [InlineData(ApiFault.ServerError, "PlanetScale")]
    [InlineData(ApiFault.Malformed, "PlanetScale")]
    public async Task Every_command_gets_a_sentence_and_an_error_audit_row_and_the_failure_is_logged_once(ApiFault fault, string said)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Slack:AllowedTeamIds:0"] = Team,
            ["PlanetScale:AttemptTimeout"] = "00:00:01",
            ["PlanetScale:TotalTimeout"] = "00:00:02",
            ["PlanetScale:RetryBaseDelay"] = "00:00:00.01",
            ["PlanetScale:MaxRetryAfter"] = "00:00:00.1",
        };
        if (fault == ApiFault.Refused)
        {
            settings["PlanetScale:BaseUrl"] = RefusingUrl("/v1").ToString();
        }

        await using var bot = await SlackBot.StartAsync(settings: settings);
        Inject(bot.Bot.Sandbox.Faults, fault);
        var mark = bot.Bot.LogMark();

        var ids = await bot.ListBurstAsync();

        foreach (var id in ids)
        {
            var answer = AssertReadable(TextOf(Assert.Single(await bot.WaitForPostsAsync(id))));
            Assert.Contains(said, answer, StringComparison.OrdinalIgnoreCase);
        }

        Assert.All(await bot.Bot.ListAuditAsync(),
            e => Assert.StartsWith("error", e.Outcome, StringComparison.Ordinal));

        // From the start: with PlanetScale refused, the start-up credential check opened the outage.
        bot.Bot.AssertLogged(0, r => r.Message.Contains("PlanetScale", StringComparison.Ordinal), "that PlanetScale fails");
        bot.Bot.AssertLoggedOnce(mark);
        // Readiness answers the start-up credential check only: Degraded (still 200) when PlanetScale failed it, and
        // unchanged by an outage that starts later; the bot stays in rotation to explain the failure.
        var (status, body) = await bot.Bot.ReadinessAsync();
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        if (fault == ApiFault.Refused)
        {
            Assert.StartsWith("Degraded", body, StringComparison.Ordinal);
            Assert.Contains("could not reach PlanetScale", body, StringComparison.Ordinal);
        }
        else
        {
            Assert.StartsWith("Healthy", body, StringComparison.Ordinal);
        }
    }

    /// <summary>Makes the sandbox fail every API call the given way (Refused is set by the URL instead).</summary>
    private static void Inject(SandboxFaults faults, ApiFault fault)
    {
        switch (fault)
        {
            case ApiFault.Timeout:
                faults.Set(new FaultOptions { RateLimitPerMinute = 0, LatencyMs = 5000 });
                break;
            case ApiFault.RateLimited:
                faults.Force(null, "/v1/**", 429, retryAfterSeconds: 60);
                break;
            case ApiFault.ServerError:
                faults.Force(null, "/v1/**", 503);
                break;
            case ApiFault.Malformed:
                faults.Set(new FaultOptions { RateLimitPerMinute = 0, Forced = [new ForcedFault { Path = "/v1/**", Status = 200, RawBody = "<html><body>Bad gateway</body></html>" }] });
                break;
        }
    }
}
