namespace PscaleBot.Commands.Http;

/// <summary>Reads <c>Retry-After</c>: delay-seconds or an HTTP-date (RFC 9110 §10.2.3).</summary>
public static class RetryAfterHeader
{
    /// <summary>How long the answer asks to wait, measured from <paramref name="now"/>; null when it does not say.</summary>
    public static TimeSpan? Read(HttpResponseMessage response, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Read(response.Headers, now);
    }

    /// <summary>How long the headers ask to wait, measured from <paramref name="now"/>; null when they do not say.</summary>
    public static TimeSpan? Read(System.Net.Http.Headers.HttpResponseHeaders? headers, DateTimeOffset now)
    {
        var retryAfter = headers?.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (retryAfter?.Date is { } date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }
}
