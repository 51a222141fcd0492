using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using PscaleBot.Commands.Http;
using PscaleBot.Commands.PlanetScale.Budget;

namespace PscaleBot.Commands.PlanetScale.Http;

/// <summary>
/// When a PlanetScale call is tried again, and after how long: the shared <see cref="SafeRetryRule"/> with GET and
/// DELETE as the idempotent methods (deleting twice leaves the same state). A POST (create, add-access) is never
/// re-sent, not even after a 429 or a refused connection, because the error messages promise users exactly that.
/// </summary>
public sealed class PlanetScaleRetryPolicy(PlanetScaleOptions options, TimeProvider timeProvider, ILogger logger)
{
    /// <summary>True for the methods the bot may send twice.</summary>
    public static bool IsRetriable(HttpMethod method) => method == HttpMethod.Get || method == HttpMethod.Delete;

    /// <summary>The rule: GET and DELETE after 429, 5xx, attempt timeouts and broken connections; nothing else.</summary>
    public SafeRetryRule Rule { get; } = new()
    {
        IsIdempotent = request => IsRetriable(request.Method),
        Refusals = SafeRetryRule.NoRefusals,
        RetryWhenNeverSent = false,
        MaxRetryAttempts = options.MaxRetryAttempts,
        BaseDelay = options.RetryBaseDelay,
        // Waiting longer than the bot is willing to would only end in a timeout; answer "rate limited, try in N s" instead.
        MaxRetryAfter = options.MaxRetryAfter,
    };

    /// <summary>The retry strategy options for the resilience pipeline.</summary>
    public RetryStrategyOptions<HttpResponseMessage> CreateStrategyOptions()
    {
        var retry = SafeRetryPipeline.CreateRetryOptions("PlanetScale", Rule, timeProvider, logger);
        var log = retry.OnRetry;
        retry.OnRetry = args =>
        {
            // Waiting out a 429's Retry-After: if the total timeout ends the wait, the rate limit held the call back.
            RateLimitWait.Set(args.Context, args.Outcome.Result?.StatusCode == System.Net.HttpStatusCode.TooManyRequests);
            return log?.Invoke(args) ?? ValueTask.CompletedTask;
        };
        return retry;
    }

    /// <summary>Whether an outcome should be tried again.</summary>
    public bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Rule.ShouldRetry(outcome.Result?.RequestMessage ?? context.GetRequestMessage(), outcome, timeProvider.GetUtcNow());
    }
}
