using System.Net;
using Polly;
using Polly.Timeout;
using PscaleBot.Commands.Http;

namespace PscaleBot.Commands.Tests.Http;

public sealed class SafeRetryRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    private static readonly SafeRetryRule Rule = new() { IsIdempotent = r => r.Method == HttpMethod.Get };

    private static HttpRequestMessage Get => new(HttpMethod.Get, "https://api.example/x");

    private static HttpRequestMessage Post => new(HttpMethod.Post, "https://api.example/x");

    private static Outcome<HttpResponseMessage> Answer(HttpStatusCode status, TimeSpan? retryAfter = null)
    {
        var response = new HttpResponseMessage(status);
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(wait);
        }

        return Outcome.FromResult(response);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    [InlineData(HttpStatusCode.BadRequest)]
    public void A_post_that_may_have_been_processed_is_never_resent(HttpStatusCode status) =>
        Assert.False(Rule.ShouldRetry(Post, Answer(status), Now));

    [Fact]
    public void A_post_that_timed_out_or_broke_after_sending_is_never_resent()
    {
        Assert.False(Rule.ShouldRetry(Post, Outcome.FromException<HttpResponseMessage>(new TimeoutRejectedException()), Now));
        Assert.False(Rule.ShouldRetry(Post, Outcome.FromException<HttpResponseMessage>(new HttpRequestException(HttpRequestError.ResponseEnded)), Now));
        Assert.False(Rule.ShouldRetry(Post, Outcome.FromException<HttpResponseMessage>(new OperationCanceledException()), Now));
    }

    [Theory]
    [InlineData(HttpRequestError.ConnectionError)]
    [InlineData(HttpRequestError.NameResolutionError)]
    public void Any_request_whose_connection_never_opened_is_resent_unless_the_client_forbids_it(HttpRequestError error)
    {
        var refused = Outcome.FromException<HttpResponseMessage>(new HttpRequestException(error));
        Assert.True(Rule.ShouldRetry(Post, refused, Now));
        Assert.False((Rule with { RetryWhenNeverSent = false }).ShouldRetry(Post, refused, Now));
    }

    [Fact]
    public void A_refusal_is_resent_for_any_method_when_its_retry_after_is_short_enough()
    {
        Assert.True(Rule.ShouldRetry(Post, Answer(HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(5)), Now));
        Assert.True(Rule.ShouldRetry(Post, Answer(HttpStatusCode.TooManyRequests), Now));
        Assert.False(Rule.ShouldRetry(Post, Answer(HttpStatusCode.TooManyRequests, TimeSpan.FromMinutes(5)), Now));
        Assert.False((Rule with { Refusals = SafeRetryRule.NoRefusals }).ShouldRetry(Post, Answer(HttpStatusCode.TooManyRequests), Now));
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.NotImplemented, false)]
    [InlineData(HttpStatusCode.HttpVersionNotSupported, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    public void An_idempotent_request_is_resent_after_transient_answers(HttpStatusCode status, bool retried) =>
        Assert.Equal(retried, Rule.ShouldRetry(Get, Answer(status), Now));

    [Fact]
    public void An_idempotent_request_is_resent_after_a_timeout_or_a_broken_connection()
    {
        Assert.True(Rule.ShouldRetry(Get, Outcome.FromException<HttpResponseMessage>(new TimeoutRejectedException()), Now));
        Assert.True(Rule.ShouldRetry(Get, Outcome.FromException<HttpResponseMessage>(new HttpRequestException(HttpRequestError.ResponseEnded)), Now));
    }

    [Fact]
    public void Nothing_is_resent_when_no_retries_are_allowed_or_the_request_is_unknown()
    {
        Assert.False((Rule with { MaxRetryAttempts = 0 }).ShouldRetry(Get, Answer(HttpStatusCode.ServiceUnavailable), Now));
        Assert.False(Rule.ShouldRetry(null, Answer(HttpStatusCode.ServiceUnavailable), Now));
    }
}
