using System.Net;
using Polly;
using Polly.Timeout;

namespace PscaleBot.Commands.Http;

/// <summary>
/// Which failed attempts of an HTTP call may be sent again, and how long to wait. The rule every client keeps:
/// nothing that may have taken effect is ever re-sent. So any request is retried only when it provably did
/// not take effect (the connection never opened, or the server answered with one of <see cref="Refusals"/>);
/// a request <see cref="IsIdempotent"/> says may be sent twice is also retried after a 429 or a server error, an
/// attempt timeout or a broken connection. A <c>Retry-After</c> longer than <see cref="MaxRetryAfter"/> ends
/// the retries, because retrying sooner would not honour it.
/// </summary>
public sealed record SafeRetryRule
{
    /// <summary>Only 429: the server refused before doing anything.</summary>
    public static IReadOnlySet<HttpStatusCode> TooManyRequestsOnly { get; } = new HashSet<HttpStatusCode> { HttpStatusCode.TooManyRequests };

    /// <summary>No status is trusted to mean "not processed".</summary>
    public static IReadOnlySet<HttpStatusCode> NoRefusals { get; } = new HashSet<HttpStatusCode>();

    /// <summary>True for requests that may be sent twice (a read, a PUT of the same state, a DELETE).</summary>
    public required Func<HttpRequestMessage, bool> IsIdempotent { get; init; }

    /// <summary>Statuses by which the server says it refused the request before processing it; retried for every method.</summary>
    public IReadOnlySet<HttpStatusCode> Refusals { get; init; } = TooManyRequestsOnly;

    /// <summary>
    /// Retry any request whose connection never opened (refused, name not resolved): nothing was sent. Off for a
    /// client that promises its users a write is never sent twice, whatever the reason.
    /// </summary>
    public bool RetryWhenNeverSent { get; init; } = true;

    /// <summary>Retries after the first attempt; 0 turns retries off.</summary>
    public int MaxRetryAttempts { get; init; } = 2;

    /// <summary>First backoff delay when the answer names no <c>Retry-After</c>; it doubles per retry, with jitter.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest <c>Retry-After</c> waited for; a longer one ends the call with that answer.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether the attempt that ended in <paramref name="outcome"/> may be sent again.</summary>
    /// <param name="request">The request of the attempt (null when unknown: never retried).</param>
    /// <param name="outcome">The answer or the exception of the attempt.</param>
    /// <param name="now">The current time, to read an HTTP-date <c>Retry-After</c>.</param>
    public bool ShouldRetry(HttpRequestMessage? request, Outcome<HttpResponseMessage> outcome, DateTimeOffset now)
    {
        if (MaxRetryAttempts <= 0 || request is null)
        {
            return false;
        }

        if (outcome.Exception is { } exception)
        {
            // A cancelled caller surfaces as OperationCanceledException and is never retried.
            return (RetryWhenNeverSent && NeverSent(exception))
                || (IsIdempotent(request) && exception is TimeoutRejectedException or HttpRequestException);
        }

        if (outcome.Result is not { } response)
        {
            return false;
        }

        var retriable = Refusals.Contains(response.StatusCode) || (IsIdempotent(request) && IsTransient(response.StatusCode));
        return retriable && (RetryAfterHeader.Read(response, now) is not { } wait || wait <= MaxRetryAfter);
    }

    /// <summary>True when the exception proves no byte of the request reached the server: the connection never opened.</summary>
    public static bool NeverSent(Exception exception) =>
        exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };

    // 501 (not implemented) and 505 (version not supported) answer the same on every try.
    private static bool IsTransient(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests
        || ((int)status >= 500 && status is not (HttpStatusCode.NotImplemented or HttpStatusCode.HttpVersionNotSupported));
}
