using Microsoft.Extensions.Options;

namespace PscaleBot.Bot.AuditExport;

/// <summary>Runs <see cref="AuditExporter"/> at start and then every <c>AuditExport:Interval</c>, until the host stops.</summary>
public sealed class AuditExportService(IServiceProvider services, IOptions<AuditExportOptions> options, TimeProvider time) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Kind == AuditExportMode.Off)
        {
            return;
        }

        var exporter = services.GetRequiredService<AuditExporter>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await exporter.ExportPendingAsync(stoppingToken);
                await Task.Delay(options.Value.Interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the cursor marks what was delivered; the rest goes on the next start.
        }
    }
}
