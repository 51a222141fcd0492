using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace PscaleBot.Commands.PlanetScale.Http;

/// <summary>
/// When a PlanetScale call is tried again, and after how long. Only GET and DELETE are retried (DELETE is
/// idempotent: deleting twice leaves the same state); a POST (create, add-access) is never re-sent, because
/// PlanetScale may have applied it before the failure. Retried: 429, 5xx, attempt timeouts and broken connections.
/// </summary>
public sealed partial class PlanetScaleRetryPolicy(PlanetScaleOptions options, TimeProvider timeProvider, ILogger logger)
{
    /// <summary>True for the methods the bot may send twice.</summary>
    public static bool IsRetriable(HttpMethod method) => method == HttpMethod.Get || method == HttpMethod.Delete;

    /// <summary>The retry strategy options for the resilience pipeline.</summary>
    public RetryStrategyOptions<HttpResponseMessage> CreateStrategyOptions() => new()
    {
        Name = "planetscale-retry",
        MaxRetryAttempts = Math.Max(options.MaxRetryAttempts, 1),
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = options.RetryBaseDelay,
        MaxDelay = TimeSpan.FromSeconds(30),
        ShouldHandle = args => ValueTask.FromResult(options.MaxRetryAttempts > 0 && ShouldRetry(args.Outcome, args.Context)),
        DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? RetryAfterHeader.Read(response, timeProvider.GetUtcNow()) : null),
        OnRetry = args =>
        {
            var request = args.Outcome.Result?.RequestMessage ?? args.Context.GetRequestMessage();
            LogRetry(logger, request?.Method.Method ?? "?", request?.RequestUri?.AbsolutePath ?? "?",
                args.Outcome.Result is { } r ? ((int)r.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : args.Outcome.Exception?.GetType().Name ?? "?",
                args.AttemptNumber + 1, args.RetryDelay);
            return ValueTask.CompletedTask;
        },
    };

    /// <summary>Whether an outcome should be tried again.</summary>
    public bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = outcome.Result?.RequestMessage ?? context.GetRequestMessage();
        if (request is null || !IsRetriable(request.Method))
        {
            return false;
        }

        if (outcome.Exception is { } exception)
        {
            // An attempt timeout or a broken connection; a cancelled caller surfaces as OperationCanceledException and stops.
            return exception is TimeoutRejectedException or HttpRequestException;
        }

        if (outcome.Result is not { } response)
        {
            return false;
        }

        var status = (int)response.StatusCode;
        if (response.StatusCode != HttpStatusCode.TooManyRequests && (status < 500 || status == 501 || status == 505))
        {
            return false;
        }

        // Waiting longer than the bot is willing to would only end in a timeout; answer "rate limited, try in N s" instead.
        return RetryAfterHeader.Read(response, timeProvider.GetUtcNow()) is not { } wait || wait <= options.MaxRetryAfter;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "PlanetScale {Method} {Path} got {Outcome}; retry {Retry} in {Delay}")]
    private static partial void LogRetry(ILogger logger, string method, string path, string outcome, int retry, TimeSpan delay);
}
