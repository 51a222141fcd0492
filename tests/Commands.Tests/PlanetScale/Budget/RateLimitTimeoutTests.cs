using System.Net;
using System.Net.Http.Headers;
using PscaleBot.Commands.PlanetScale;

namespace PscaleBot.Commands.Tests.PlanetScale.Budget;

/// <summary>
/// When the total timeout ends a call that PlanetScale's rate limit was holding back (the bot's budget, or a 429's
/// Retry-After), the person is told it was the rate limit, not that PlanetScale did not answer.
/// </summary>
public sealed class RateLimitTimeoutTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_read_still_waiting_for_the_budget_at_the_total_timeout_names_the_rate_limit()
    {
        using var harness = Harness(("PlanetScale:RequestsPerMinute", "1"));
        harness.Handler.ThenFixture("tokens-minimal.json");
        await harness.Service.ListTokensAsync("acme", None); // takes the minute's only permit

        // Another read (a list already read may be answered from the cache instead, with its age).
        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(
            () => harness.RunWithClockAsync(() => harness.Service.GetTokenAsync("acme", "abc123def456", None)));

        Assert.Equal(PlanetScaleErrorKind.RateLimited, error.Kind);
        Assert.StartsWith("PlanetScale's rate limit held the bot back for 30 s while it tried to ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("; try again in a minute.", error.Message, StringComparison.Ordinal);
        Assert.Single(harness.Handler.Requests);
    }

    [Fact]
    public async Task A_change_still_waiting_for_the_budget_was_never_sent_and_says_so()
    {
        using var harness = Harness(("PlanetScale:RequestsPerMinute", "1"));
        harness.Handler.ThenFixture("tokens-minimal.json");
        await harness.Service.ListTokensAsync("acme", None);

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(
            () => harness.RunWithClockAsync(() => harness.Service.AddAccessAsync("acme", "abc123def456", "prod", ["read_branch"], None)));

        Assert.Equal(PlanetScaleErrorKind.RateLimited, error.Kind);
        Assert.Equal(
            "PlanetScale's rate limit held the bot back for 30 s while it tried to add access to token `abc123def456` on database `prod` in organization `acme`, so the change was not sent and nothing was changed. Try again in a minute.",
            error.Message);
        Assert.DoesNotContain(harness.Handler.Requests, r => r.Method == HttpMethod.Post);
    }

    [Fact]
    public async Task A_read_whose_429_retry_after_outlasts_the_total_timeout_names_the_rate_limit()
    {
        // The budget off: only the retry's wait for Retry-After (20 s, within MaxRetryAfter) is cut by the 10 s timeout.
        using var harness = Harness(("PlanetScale:RequestsPerMinute", "0"), ("PlanetScale:TotalTimeout", "00:00:10"));
        harness.Handler
            .ThenJson(HttpStatusCode.TooManyRequests, """{"code":"rate_limited","message":"Too Many Requests"}""",
                r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(20)))
            .ThenFixture("tokens-minimal.json");

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(
            () => harness.RunWithClockAsync(() => harness.Service.ListTokensAsync("acme", None)));

        Assert.Equal(PlanetScaleErrorKind.RateLimited, error.Kind);
        Assert.StartsWith("PlanetScale's rate limit held the bot back for 10 s while it tried to list the service tokens", error.Message, StringComparison.Ordinal);
        Assert.Single(harness.Handler.Requests);
    }

    [Fact]
    public async Task A_retry_that_got_its_permit_and_then_hangs_is_a_plain_timeout()
    {
        // A 429, its 1 s wait, then a retry that PlanetScale never answers: the rate limit is not what ran out the clock.
        using var harness = Harness();
        harness.Handler
            .ThenJson(HttpStatusCode.TooManyRequests, """{"code":"rate_limited","message":"Too Many Requests"}""",
                r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(1)));
        for (var i = 0; i < 4; i++)
        {
            harness.Handler.ThenHang();
        }

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(
            () => harness.RunWithClockAsync(() => harness.Service.ListTokensAsync("acme", None)));

        Assert.Equal(PlanetScaleErrorKind.Timeout, error.Kind);
        Assert.StartsWith("PlanetScale did not answer within 30 s", error.Message, StringComparison.Ordinal);
    }

    private static PlanetScaleClientHarness Harness(params (string Key, string Value)[] settings) =>
        PlanetScaleClientHarness.Create(s =>
        {
            s["PlanetScale:TotalTimeout"] = "00:00:30";
            s["PlanetScale:ReadCacheTtl"] = "00:00:00";
            foreach (var (key, value) in settings)
            {
                s[key] = value;
            }
        });
}
