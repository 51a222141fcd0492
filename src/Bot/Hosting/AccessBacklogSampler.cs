using Microsoft.Extensions.Options;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Diagnostics;
using PscaleBot.Commands.Http;

namespace PscaleBot.Bot.Hosting;

/// <summary>
/// Samples the access workflow's backlog every <see cref="TelemetryOptions.SampleInterval"/> for the gauges
/// (approvals pending, revocations due, overdue and their lag): gauges are read synchronously, stores are async.
/// </summary>
public sealed class AccessBacklogSampler(
    IServiceProvider services,
    BotMetrics metrics,
    TimeProvider time,
    IOptions<TelemetryOptions> options,
    ILogger<AccessBacklogSampler> logger) : BackgroundService
{
    // Said once per outage (and its end once): the gauges keep their last values, the store's own health check says more.
    private readonly DependencyOutage _outage = new(
        "Sampling the access backlog for the metrics", "the gauges keep their last values", logger, time);

    /// <summary>Takes one sample now.</summary>
    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<IAccessStore>() is not { } store)
        {
            return;
        }

        var pending = await store.ListPendingRequestsAsync(cancellationToken);
        var active = await store.ListActiveGrantsAsync(cancellationToken);
        metrics.Sampled(Measure(pending.Count, active, time.GetUtcNow(), options.Value.RevocationOverdueAfter));
    }

    /// <summary>The backlog of <paramref name="active"/> grants at <paramref name="now"/>.</summary>
    public static AccessBacklog Measure(int pendingApprovals, IEnumerable<AccessGrant> active, DateTimeOffset now, TimeSpan overdueAfter)
    {
        var due = active.Where(g => g.IsOverdue(now)).ToList();
        var lag = due.Count == 0 ? TimeSpan.Zero : now - due.Min(g => g.EndsAt);
        return new AccessBacklog(pendingApprovals, due.Count, due.Count(g => now - g.EndsAt > overdueAfter), lag);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SampleAsync(stoppingToken);
                _outage.Succeeded();
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                _outage.Failed(ex.GetType().Name);
            }

            try
            {
                await Task.Delay(options.Value.SampleInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
