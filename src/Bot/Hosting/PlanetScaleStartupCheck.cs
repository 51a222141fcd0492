using Microsoft.Extensions.Diagnostics.HealthChecks;
using PscaleBot.Commands.PlanetScale;

namespace PscaleBot.Bot.Hosting;

/// <summary>
/// Checks once, in the background after start, that the configured PlanetScale credentials work and can see
/// the default organization, and says so in the log. The readiness endpoint reports the result as
/// <em>degraded</em> (still 200), because a PlanetScale outage should not take the bot out of rotation:
/// it still answers help, whoami and policy questions and explains API failures.
/// </summary>
internal sealed partial class PlanetScaleStartupCheck(
    IServiceScopeFactory scopes,
    ILogger<PlanetScaleStartupCheck> logger) : BackgroundService, IHealthCheck
{
    private volatile PlanetScaleCredentialReport? report;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(report switch
        {
            null => HealthCheckResult.Healthy("PlanetScale credentials not checked yet"),
            { IsHealthy: true } => HealthCheckResult.Healthy(report.Summary),
            _ => HealthCheckResult.Degraded(report.Summary),
        });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var check = scope.ServiceProvider.GetRequiredService<PlanetScaleCredentialCheck>();
        report = await check.CheckAsync(stoppingToken);
        if (report.IsHealthy)
        {
            LogHealthy(report.Summary);
        }
        else
        {
            LogUnhealthy(report.Summary);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "PlanetScale credential check: {Summary}")]
    private partial void LogHealthy(string summary);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PlanetScale credential check failed: {Summary}")]
    private partial void LogUnhealthy(string summary);
}
