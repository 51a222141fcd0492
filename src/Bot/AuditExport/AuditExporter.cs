using Microsoft.Extensions.Options;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Http;

namespace PscaleBot.Bot.AuditExport;

/// <summary>What one pass of the export did.</summary>
/// <param name="Exported">Rows delivered (and the cursor moved past them).</param>
/// <param name="Failure">Why it stopped early, or null when it caught up.</param>
public sealed record AuditExportPass(int Exported, string? Failure);

/// <summary>
/// One pass of the export: from the stored cursor, read rows in id order a batch at a time, deliver each batch, and only
/// then move the cursor past it. A failed delivery leaves the cursor where it was, so the batch is sent again on the next
/// pass: at least once, never a gap. A crash between delivery and the cursor's update also re-sends that batch.
/// </summary>
/// <remarks>
/// Rows get their id when their transaction commits in id order on SQLite (one writer). On PostgreSQL an identity value
/// is taken at insert, under the chain's advisory lock held to commit (<c>PostgresAuditLog</c>), so a row with a lower id
/// cannot become visible after a higher one has been exported.
/// </remarks>
public sealed class AuditExporter(
    IAuditChainStore rows,
    IAuditExportCursor cursor,
    IAuditExportSink sink,
    IOptions<AuditExportOptions> options,
    DependencyOutages outages)
{
    private DependencyOutage Outage => outages.For(
        sink.Description,
        "new audit rows are kept and sent when it works again",
        typeof(AuditExporter).FullName!);

    /// <summary>Exports every row after the cursor; never throws for a destination or store failure (it is logged once per outage).</summary>
    public async Task<AuditExportPass> ExportPendingAsync(CancellationToken cancellationToken)
    {
        var name = options.Value.SinkName;
        var batchSize = options.Value.BatchSize;
        var exported = 0;
        try
        {
            var after = await cursor.ReadCursorAsync(name, cancellationToken);
            while (true)
            {
                var batch = await rows.ReadAfterAsync(after, batchSize, cancellationToken);
                if (batch.Count == 0)
                {
                    break;
                }

                await sink.WriteAsync(AuditJsonLines.Encode(batch), cancellationToken);
                after = batch[^1].Id;
                await cursor.SaveCursorAsync(name, after, cancellationToken);
                exported += batch.Count;
                if (batch.Count < batchSize)
                {
                    break;
                }
            }
        }
        catch (AuditExportFailedException ex)
        {
            Outage.Failed(ex.Message);
            return new AuditExportPass(exported, ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The store itself: its exceptions name no secret (StoreUnavailableException words them), but say only the kind.
            var reason = $"the audit store cannot be read or its cursor saved ({ex.GetType().Name})";
            Outage.Failed(reason);
            return new AuditExportPass(exported, reason);
        }

        Outage.Succeeded();
        return new AuditExportPass(exported, null);
    }
}
