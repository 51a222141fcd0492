namespace PscaleBot.Bot.AuditExport;

/// <summary>
/// Where the export stands, kept in the audit store (table <c>audit_export_cursor</c>): per destination, the id of the
/// last audit row it has durably taken. Moves forward only.
/// </summary>
public interface IAuditExportCursor
{
    /// <summary>The last exported row id for <paramref name="sink"/>; 0 when nothing was exported yet.</summary>
    Task<long> ReadCursorAsync(string sink, CancellationToken cancellationToken);

    /// <summary>Records that every row up to <paramref name="lastId"/> reached <paramref name="sink"/>; a lower value than the stored one is ignored.</summary>
    Task SaveCursorAsync(string sink, long lastId, CancellationToken cancellationToken);
}
