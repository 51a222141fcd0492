using Microsoft.Extensions.Options;
using Polly;

namespace PscaleBot.Commands.PlanetScale.Budget;

/// <summary>
/// Takes a permit from the <see cref="IPlanetScaleRateBudget"/> before each attempt, at the priority of the calling
/// flow. It sits in the one PlanetScale pipeline between the retries and the attempt timeout: every retry is counted,
/// and waiting for a permit is bounded by the total timeout only, not cut short by the attempt timeout.
/// </summary>
/// <remarks>
/// A strategy inside the pipeline rather than a handler between two resilience handlers: nested resilience handlers
/// share one <see cref="ResilienceContext"/> per request, and the timeouts and retries then no longer behaved as one
/// pipeline does (the 429 and total-timeout resilience tests failed).
/// </remarks>
internal sealed class PlanetScaleBudgetStrategy(IPlanetScaleRateBudget budget, IOptionsMonitor<PlanetScaleOptions> options) : ResilienceStrategy
{
    /// <inheritdoc />
    protected override async ValueTask<Outcome<TResult>> ExecuteCore<TResult, TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback, ResilienceContext context, TState state)
    {
        var current = options.CurrentValue;
        if (current.RequestsPerMinute > 0)
        {
            var method = context.GetRequestMessage()?.Method ?? HttpMethod.Get;
            RateLimitWait.Set(context, waiting: true);
            try
            {
                await budget.AcquireAsync(PlanetScaleCredentialKey.Of(current), PlanetScalePriority.For(method), context.CancellationToken)
                    .ConfigureAwait(context.ContinueOnCapturedContext);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
            {
                return Outcome.FromException<TResult>(exception);
            }
        }

        // From here a timeout is PlanetScale's slowness, not the rate limit (also after a 429's retry delay).
        RateLimitWait.Set(context, waiting: false);
        return await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
    }
}

/// <summary>Options of <see cref="PlanetScaleBudgetStrategy"/> (only its name, for telemetry).</summary>
internal sealed class PlanetScaleBudgetStrategyOptions : ResilienceStrategyOptions
{
    /// <summary>Names the strategy <c>planetscale-budget</c>.</summary>
    public PlanetScaleBudgetStrategyOptions() => Name = "planetscale-budget";
}
