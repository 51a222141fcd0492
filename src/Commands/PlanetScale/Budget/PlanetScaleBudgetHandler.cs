using Microsoft.Extensions.Options;
using PscaleBot.Commands.Http;

namespace PscaleBot.Commands.PlanetScale.Budget;

/// <summary>
/// Takes a permit from the <see cref="IPlanetScaleRateBudget"/> before each attempt (it sits inside the retries, so a
/// retry is counted too) at the priority of the calling flow, and pauses the whole budget when a 429 comes anyway,
/// for as long as its <c>Retry-After</c> says. Counts every request in <see cref="PlanetScaleMetrics"/>.
/// </summary>
public sealed class PlanetScaleBudgetHandler(
    IPlanetScaleRateBudget budget, PlanetScaleMetrics metrics, IOptionsMonitor<PlanetScaleOptions> options, TimeProvider time) : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var current = options.CurrentValue;
        var credential = PlanetScaleCredentialKey.Of(current);
        var priority = PlanetScalePriority.For(request.Method);
        var route = PlanetScaleRoute.Of(request);
        if (current.RequestsPerMinute > 0)
        {
            await budget.AcquireAsync(credential, priority, cancellationToken).ConfigureAwait(false);
        }

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
            budget.Pause(credential, RetryAfterHeader.Read(response, time.GetUtcNow()) ?? current.RetryBaseDelay);
        }

        return response;
    }
}
