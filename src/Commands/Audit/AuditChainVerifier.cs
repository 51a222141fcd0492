namespace PscaleBot.Commands.Audit;

/// <summary>
/// Walks the audit chain in id order, a page at a time, recomputing each row's hash and checking that it points to the
/// row before it; stops at the first row that does not match.
/// </summary>
/// <remarks>
/// What it can tell: an edited row (its hash no longer matches), deleted rows (the next row points to a hash no row
/// before it has), an inserted row (the row after it points past it). What no chain alone can tell: the newest rows
/// removed from the end, or a chain rewritten whole by someone who can write the database; the export
/// (<c>Audit:Export</c>) puts each hash outside the database, where a SIEM can check it.
/// </remarks>
public sealed class AuditChainVerifier(IAuditChainStore store, int pageSize = 1000)
{
    /// <summary>Checks the whole chain.</summary>
    public async Task<AuditChainReport> VerifyAsync(CancellationToken cancellationToken)
    {
        long checkedRows = 0, unchained = 0, afterId = 0;
        string? previous = null, beforePrevious = null;
        ChainedAuditRow? previousRow = null;
        while (true)
        {
            var page = await store.ReadAfterAsync(afterId, pageSize, cancellationToken);
            foreach (var row in page)
            {
                var problem = Check(row, previous, beforePrevious, previousRow);
                if (problem is not null)
                {
                    return new AuditChainReport(checkedRows, unchained, problem);
                }

                if (row.RowHash is null)
                {
                    unchained++;
                }
                else
                {
                    checkedRows++;
                    beforePrevious = previous;
                    previous = row.RowHash;
                    previousRow = row;
                }
            }

            if (page.Count < pageSize)
            {
                return new AuditChainReport(checkedRows, unchained, null);
            }

            afterId = page[^1].Id;
        }
    }

    private static AuditChainBreak? Check(ChainedAuditRow row, string? previous, string? beforePrevious, ChainedAuditRow? previousRow)
    {
        if (row.RowHash is null || row.PreviousHash is null)
        {
            // Rows without hashes may only precede the chain (written before it existed).
            return previous is null && row.RowHash is null && row.PreviousHash is null
                ? null
                : Break(row, AuditChainBreakKind.Inserted, "it has no hash but comes after chained rows");
        }

        if (!string.Equals(AuditRowHash.Compute(row.Entry, row.PreviousHash), row.RowHash, StringComparison.Ordinal))
        {
            return Break(row, AuditChainBreakKind.Changed, "its contents no longer match its hash");
        }

        var expected = previous ?? AuditRowHash.Genesis;
        if (string.Equals(row.PreviousHash, expected, StringComparison.Ordinal))
        {
            return null;
        }

        if (previousRow is not null && string.Equals(row.PreviousHash, beforePrevious ?? AuditRowHash.Genesis, StringComparison.Ordinal))
        {
            return Break(previousRow, AuditChainBreakKind.Inserted, $"the row after it (id {row.Id}) points past it");
        }

        return Break(row, AuditChainBreakKind.Deleted, previous is null
            ? "the chain does not start at it: rows before it were deleted"
            : "the row it follows is missing: rows before it were deleted");
    }

    private static AuditChainBreak Break(ChainedAuditRow row, AuditChainBreakKind kind, string detail) =>
        new(row.Id, row.Entry.Time, kind, $"row {row.Id} ({row.Entry.Time.UtcDateTime.ToString(AuditRowHash.TimeFormat, System.Globalization.CultureInfo.InvariantCulture)}): {detail}.");
}
