using System.Data.Common;
using PscaleBot.Commands.Audit;

namespace PscaleBot.Bot.Persistence;

/// <summary>
/// Reads audit rows with their chain columns, the same on both engines. The query selects the entry's columns first,
/// then <c>id, time_ms, prev_hash, row_hash</c> at ordinals 9 to 12.
/// </summary>
internal static class ChainedAuditRowReader
{
    /// <summary>Every row of <paramref name="reader"/>, its entry read by the store's own <paramref name="readEntry"/>.</summary>
    public static async Task<IReadOnlyList<ChainedAuditRow>> ReadAllAsync<TReader>(
        TReader reader, Func<TReader, AuditEntry> readEntry, CancellationToken cancellationToken)
        where TReader : DbDataReader
    {
        var rows = new List<ChainedAuditRow>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var entry = readEntry(reader);
            // time_ms is hashed too: a row whose two times disagree was edited, so it is checked with the one that differs.
            var storedMs = reader.GetInt64(10);
            rows.Add(new ChainedAuditRow(
                reader.GetInt64(9),
                storedMs == entry.Time.ToUnixTimeMilliseconds() ? entry : entry with { Time = DateTimeOffset.FromUnixTimeMilliseconds(storedMs) },
                reader.IsDBNull(11) ? null : reader.GetString(11),
                reader.IsDBNull(12) ? null : reader.GetString(12)));
        }

        return rows;
    }
}
