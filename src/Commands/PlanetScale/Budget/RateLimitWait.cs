using Polly;
using Polly.Timeout;

namespace PscaleBot.Commands.PlanetScale.Budget;

/// <summary>
/// Whether a PlanetScale call is, right now, held back by the rate limit: waiting for a permit of the
/// <see cref="IPlanetScaleRateBudget"/>, or waiting out a 429's <c>Retry-After</c> before its retry. Kept in the call's
/// <see cref="ResilienceContext"/>, so that when the total timeout ends the call, <see cref="RateLimitTimeoutStrategy"/>
/// can tell "PlanetScale's rate limit held it back" from "PlanetScale did not answer".
/// </summary>
internal static class RateLimitWait
{
    private static readonly ResiliencePropertyKey<bool> Key = new("planetscale-rate-limit-wait");

    /// <summary>Marks the call as held back by the rate limit (true) or as past it (false).</summary>
    public static void Set(ResilienceContext context, bool waiting) => context.Properties.Set(Key, waiting);

    /// <summary>Whether the call was held back by the rate limit when it was last marked.</summary>
    public static bool IsWaiting(ResilienceContext context) => context.Properties.GetValue(Key, false);
}

/// <summary>
/// The outermost strategy of the PlanetScale pipeline: a total timeout that ran out while the call was held back by the
/// rate limit becomes a <see cref="PlanetScaleRateLimitTimeoutException"/>, whose message names the rate limit instead
/// of a silent PlanetScale.
/// </summary>
internal sealed class RateLimitTimeoutStrategy : ResilienceStrategy
{
    /// <inheritdoc />
    protected override async ValueTask<Outcome<TResult>> ExecuteCore<TResult, TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback, ResilienceContext context, TState state)
    {
        var outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        return outcome.Exception is TimeoutRejectedException timeout && RateLimitWait.IsWaiting(context)
            ? Outcome.FromException<TResult>(new PlanetScaleRateLimitTimeoutException(timeout))
            : outcome;
    }
}

/// <summary>Options of <see cref="RateLimitTimeoutStrategy"/> (only its name, for telemetry).</summary>
internal sealed class RateLimitTimeoutStrategyOptions : ResilienceStrategyOptions
{
    /// <summary>Names the strategy <c>planetscale-rate-limit-timeout</c>.</summary>
    public RateLimitTimeoutStrategyOptions() => Name = "planetscale-rate-limit-timeout";
}

/// <summary>The total timeout ran out while PlanetScale's rate limit held the call back.</summary>
internal sealed class PlanetScaleRateLimitTimeoutException(TimeoutRejectedException timeout)
    : TimeoutRejectedException("The total timeout ran out while PlanetScale's rate limit held the call back.", timeout.Timeout, timeout);
