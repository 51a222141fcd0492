using Microsoft.Extensions.Diagnostics.HealthChecks;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Http;

namespace PscaleBot.Bot.Persistence;

/// <summary>
/// <c>/readyz</c> is unhealthy while the last audit write failed, and says why: every change is refused then, so a bot
/// that cannot audit must not look ready. It turns healthy with the first entry written again.
/// </summary>
public sealed class AuditStoreHealth(DependencyOutages outages) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var outage = CommandAuditRecorder.Outage(outages);
        return Task.FromResult(outage.Since is { } since
            ? HealthCheckResult.Unhealthy(
                $"The audit log (Audit:Path) cannot be written since {since.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC ({outage.Reason}); every change is refused until it works again.")
            : HealthCheckResult.Healthy("the audit log is written"));
    }
}
