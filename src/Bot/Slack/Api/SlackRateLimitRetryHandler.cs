using System.Net;
using Microsoft.Extensions.Options;

namespace PscaleBot.Bot.Slack.Api;

/// <summary>
/// Retries outbound Slack calls answered with 429, waiting what <c>Retry-After</c> says (bounded in count and
/// in wait). Slack's only meaningful status besides 200 is 429, so nothing else is retried here: a repeated
/// <c>chat.postMessage</c> after a 5xx could post twice.
/// </summary>
public sealed class SlackRateLimitRetryHandler(IOptions<SlackOptions> options, TimeProvider time) : DelegatingHandler
{
    /// <summary>Wait used when a 429 carries no usable <c>Retry-After</c>.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var maxRetries = options.Value.MaxRateLimitRetries;
        // A request message can be sent only once, so keep the body bytes to build each retry.
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var attempt = 0;
        var current = request;
        while (true)
        {
            var response = await base.SendAsync(current, cancellationToken);
            if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt >= maxRetries)
            {
                return response;
            }

            var wait = RetryAfterOf(response) ?? DefaultRetryAfter;
            if (wait > options.Value.MaxRetryAfter)
            {
                return response;
            }

            response.Dispose();
            attempt++;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
            }

            current = Copy(request, body);
        }
    }

    /// <summary>The wait a 429 answer asks for, or null when it names none.</summary>
    public static TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        return null;
    }

    private static HttpRequestMessage Copy(HttpRequestMessage original, byte[]? body)
    {
        var copy = new HttpRequestMessage(original.Method, original.RequestUri) { Version = original.Version };
        foreach (var header in original.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (body is not null && original.Content is not null)
        {
            copy.Content = new ByteArrayContent(body);
            foreach (var header in original.Content.Headers)
            {
                copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        return copy;
    }
}
