using Microsoft.Extensions.Options;
using PscaleBot.Commands.Http;

namespace PscaleBot.Commands.PlanetScale.Budget;

/// <summary>
/// Pauses the whole <see cref="IPlanetScaleRateBudget"/> when a 429 comes anyway, for as long as its <c>Retry-After</c>
/// says, and counts every request sent in <see cref="PlanetScaleMetrics"/>. It runs per attempt, inside the pipeline;
/// the permit itself is taken by <see cref="PlanetScaleBudgetStrategy"/> before the attempt timeout starts.
/// </summary>
public sealed class PlanetScaleBudgetHandler(
    IPlanetScaleRateBudget budget, PlanetScaleMetrics metrics, IOptionsMonitor<PlanetScaleOptions> options, TimeProvider time) : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var current = options.CurrentValue;
        var priority = PlanetScalePriority.For(request.Method);
        var route = PlanetScaleRoute.Of(request);

        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            metrics.RecordCall(route, priority, "cancelled");
            throw;
        }
        catch (HttpRequestException)
        {
            metrics.RecordCall(route, priority, "error");
            throw;
        }

        metrics.RecordCall(route, priority, PlanetScaleMetrics.StatusClass((int)response.StatusCode));
        if ((int)response.StatusCode == 429)
        {
            // Everyone on this credential waits, not only this caller: the next request would draw another 429.
            // The key (a hash for an OAuth token) is worked out here, not on every request: only a 429 needs it.
            budget.Pause(PlanetScaleCredentialKey.Of(current), RetryAfterHeader.Read(response, time.GetUtcNow()) ?? current.RetryBaseDelay);
        }

        return response;
    }
}
