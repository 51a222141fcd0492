namespace PscaleBot.Commands.Audit;

/// <summary>One stored audit row with its chain columns, as read back for verification or export.</summary>
/// <param name="Id">The row's key; the chain's order.</param>
/// <param name="Entry">The stored fields.</param>
/// <param name="PreviousHash">The stored <c>prev_hash</c>; null for a row written before the chain existed.</param>
/// <param name="RowHash">The stored <c>row_hash</c>; null for a row written before the chain existed.</param>
public sealed record ChainedAuditRow(long Id, AuditEntry Entry, string? PreviousHash, string? RowHash);

/// <summary>A store whose rows carry the hash chain (<see cref="AuditRowHash"/>).</summary>
public interface IAuditChainStore
{
    /// <summary>Up to <paramref name="limit"/> rows with an id above <paramref name="afterId"/>, in id order.</summary>
    Task<IReadOnlyList<ChainedAuditRow>> ReadAfterAsync(long afterId, int limit, CancellationToken cancellationToken);
}

/// <summary>Why the chain broke at a row.</summary>
public enum AuditChainBreakKind
{
    /// <summary>The row's fields no longer give its stored hash: it was edited.</summary>
    Changed,

    /// <summary>The row before this one in the chain is missing: one or more rows were deleted.</summary>
    Deleted,

    /// <summary>This row was put into the chain after the fact (its successor still points past it), or has no hash.</summary>
    Inserted,
}

/// <summary>The first row that does not match.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Time">Its stored time.</param>
/// <param name="Kind">Changed, deleted (before it) or inserted.</param>
/// <param name="Detail">One sentence saying what was found.</param>
public sealed record AuditChainBreak(long Id, DateTimeOffset Time, AuditChainBreakKind Kind, string Detail);

/// <summary>What <c>audit verify</c> found.</summary>
/// <param name="Checked">Chained rows whose hash was checked.</param>
/// <param name="Unchained">Rows written before the chain existed (before migration 2), which precede the chain's start.</param>
/// <param name="Break">The first mismatch, or null when the whole chain holds.</param>
public sealed record AuditChainReport(long Checked, long Unchained, AuditChainBreak? Break)
{
    /// <summary>True when every chained row matched.</summary>
    public bool Ok => Break is null;
}
