using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using PscaleBot.Commands.PlanetScale;

namespace PscaleBot.Commands.Tests.PlanetScale;

public sealed class PlanetScaleResilienceTests
{
    private const string Unavailable = """{"code":"unavailable","message":"Service Unavailable"}""";
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_get_is_retried_after_503_waiting_exactly_the_retry_after_seconds()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler
            .ThenJson(HttpStatusCode.ServiceUnavailable, Unavailable, r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(5)))
            .ThenFixture("tokens-minimal.json");
        var start = harness.Time.GetUtcNow();

        var tokens = await harness.RunWithClockAsync(() => harness.Service.ListTokensAsync("acme", None));

        Assert.Single(tokens);
        Assert.Equal(2, harness.Handler.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(5)], RetryDelays(harness));
        Assert.True(harness.Time.GetUtcNow() - start >= TimeSpan.FromSeconds(5), "the retry came before Retry-After allowed it");
    }

    [Fact]
    public async Task A_get_is_retried_after_429_honouring_an_http_date_retry_after()
    {
        using var harness = PlanetScaleClientHarness.Create();
        var until = harness.Time.GetUtcNow().AddSeconds(7);
        harness.Handler
            .ThenJson(HttpStatusCode.TooManyRequests, """{"code":"rate_limited","message":"Too Many Requests"}""",
                r => r.Headers.RetryAfter = new RetryConditionHeaderValue(until))
            .ThenFixture("organizations.json");

        var organizations = await harness.RunWithClockAsync(() => harness.Service.ListOrganizationsAsync(None));

        Assert.Equal(2, organizations.Count);
        Assert.Equal(2, harness.Handler.Requests.Count);
        var delay = Assert.Single(RetryDelays(harness));
        // Measured from the fake clock when the 429 was read; the clock only moves forward in whole seconds.
        Assert.InRange(delay, TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(7));
        Assert.True(harness.Time.GetUtcNow() >= until, "the retry came before the Retry-After date");
    }

    [Fact]
    public async Task A_get_without_retry_after_backs_off_and_gives_up_after_the_configured_retries()
    {
        using var harness = PlanetScaleClientHarness.Create();
        for (var i = 0; i < 4; i++)
        {
            harness.Handler.ThenJson(HttpStatusCode.ServiceUnavailable, Unavailable);
        }

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(
            () => harness.RunWithClockAsync(() => harness.Service.GetTokenAsync("acme", "abc123def456", None)));

        Assert.Equal(PlanetScaleErrorKind.ServerError, error.Kind);
        Assert.Equal(4, harness.Handler.Requests.Count);
        Assert.Equal(
            "PlanetScale had a server error (503) while the bot tried to fetch token `abc123def456` in organization `acme`. Try again in a few minutes.",
            error.Message);
        Assert.Equal(3, RetryDelays(harness).Count);
    }

    [Fact]
    public async Task A_post_is_never_resent_after_503()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenJson(HttpStatusCode.ServiceUnavailable, Unavailable).ThenFixture("token-created.json");

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(
            () => harness.RunWithClockAsync(() => harness.Service.CreateTokenAsync("acme", "ci", null, None)));

        Assert.Equal(PlanetScaleErrorKind.ServerError, error.Kind);
        Assert.Single(harness.Handler.Requests);
        Assert.Equal(
            "PlanetScale had a server error (503) while the bot tried to create a service token in organization `acme`. Nothing was retried for this change — run `list` to check whether the token was created.",
            error.Message);
    }

    [Fact]
    public async Task A_post_is_never_resent_after_429_even_with_a_short_retry_after()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler
            .ThenJson(HttpStatusCode.TooManyRequests, "{}", r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(1)))
            .ThenFixture("access-rows.json");

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(
            () => harness.RunWithClockAsync(() => harness.Service.AddAccessAsync("acme", "abc123def456", "prod", ["read_branch"], None)));

        Assert.Equal(PlanetScaleErrorKind.RateLimited, error.Kind);
        Assert.Single(harness.Handler.Requests);
        Assert.Equal(
            "PlanetScale is rate-limiting the bot (429; it allows 600 requests a minute) while it tried to add access to token `abc123def456` on database `prod` in organization `acme`. Try again in 1 s. Nothing was retried for this change.",
            error.Message);
    }

    [Fact]
    public async Task A_delete_with_a_body_is_retried_and_resends_the_same_body()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenJson(HttpStatusCode.BadGateway, """{"code":"bad_gateway","message":"Bad Gateway"}""").ThenStatus(HttpStatusCode.NoContent);

        await harness.RunWithClockAsync(() => harness.Service.DeleteAccessAsync("acme", "abc123def456", "prod", ["read_branch"], None));

        Assert.Equal(2, harness.Handler.Requests.Count);
        Assert.All(harness.Handler.Requests, r =>
        {
            Assert.Equal(HttpMethod.Delete, r.Method);
            Assert.Equal("""{"database":"prod","access":["read_branch"]}""", r.Body);
        });
    }

    [Fact]
    public async Task A_token_delete_is_retried_after_a_broken_connection()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler
            .Then((_, _) => throw new HttpRequestException(HttpRequestError.ConnectionError, "connection reset"))
            .ThenStatus(HttpStatusCode.NoContent);

        await harness.RunWithClockAsync(() => harness.Service.DeleteTokenAsync("acme", "abc123def456", None));

        Assert.Equal(2, harness.Handler.Requests.Count);
    }

    [Fact]
    public async Task An_unreachable_api_is_reported_after_the_retries()
    {
        using var harness = PlanetScaleClientHarness.Create(s => s["PlanetScale:MaxRetryAttempts"] = "1");
        for (var i = 0; i < 2; i++)
        {
            harness.Handler.Then((_, _) => throw new HttpRequestException(HttpRequestError.ConnectionError, "connection refused"));
        }

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(
            () => harness.RunWithClockAsync(() => harness.Service.ListTokensAsync("acme", None)));

        Assert.Equal(PlanetScaleErrorKind.Unreachable, error.Kind);
        Assert.Equal(2, harness.Handler.Requests.Count);
        Assert.Equal(
            "The bot could not reach PlanetScale at api.planetscale.test while trying to list the service tokens of organization `acme`: the connection failed.",
            error.Message);
    }

    [Fact]
    public async Task A_post_that_gets_no_answer_times_out_once_and_says_how_to_check()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenHang().ThenFixture("access-rows.json");

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(
            () => harness.RunWithClockAsync(() => harness.Service.AddAccessAsync("acme", "abc123def456", "prod", ["read_branch"], None)));

        Assert.Equal(PlanetScaleErrorKind.Timeout, error.Kind);
        Assert.Equal(
            "PlanetScale did not answer within 10 s; nothing was retried for this change — run `show-access abc123def456` to check whether it happened.",
            error.Message);
        Assert.Single(harness.Handler.Requests);
    }

    [Fact]
    public async Task A_get_that_never_answers_is_retried_until_the_total_timeout()
    {
        using var harness = PlanetScaleClientHarness.Create();
        for (var i = 0; i < 4; i++)
        {
            harness.Handler.ThenHang();
        }

        var error = await Assert.ThrowsAsync<PlanetScaleApiException>(
            () => harness.RunWithClockAsync(() => harness.Service.ListTokensAsync("acme", None)));

        Assert.Equal(PlanetScaleErrorKind.Timeout, error.Kind);
        Assert.Equal(
            "PlanetScale did not answer within 30 s while the bot tried to list the service tokens of organization `acme`; try again in a minute.",
            error.Message);
        Assert.InRange(harness.Handler.Requests.Count, 2, 3);
    }

    [Fact]
    public async Task A_cancelled_caller_gets_a_cancellation_not_a_planetscale_error()
    {
        using var harness = PlanetScaleClientHarness.Create();
        harness.Handler.ThenHang();
        using var cancellation = new CancellationTokenSource();

        var call = harness.Service.ListTokensAsync("acme", cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    private static List<TimeSpan> RetryDelays(PlanetScaleClientHarness harness) =>
        [.. harness.Logs.GetSnapshot()
            .Where(r => r.Category == "PscaleBot.Commands.PlanetScale.Retry")
            .Select(r => TimeSpan.Parse(r.StructuredState!.Single(kv => kv.Key == "Delay").Value!, CultureInfo.InvariantCulture))];
}
