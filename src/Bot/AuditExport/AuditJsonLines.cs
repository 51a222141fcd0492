using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using PscaleBot.Commands.Audit;

namespace PscaleBot.Bot.AuditExport;

/// <summary>
/// Audit rows as JSON Lines: one object per row, <c>\n</c> after each, UTF-8. Fields: <c>id</c>, <c>time</c> (UTC, whole
/// microseconds, as hashed), <c>platform</c>, <c>place</c>, <c>user_id</c>, <c>command</c>, <c>decision</c>,
/// <c>reason</c>, <c>outcome</c>, <c>request_ids</c>, <c>prev_hash</c>, <c>row_hash</c>. The values are the stored ones,
/// already scrubbed of token secrets by the store, so a receiver can recompute each <c>row_hash</c>
/// (<see cref="AuditRowHash"/>) and check the chain outside the bot's database.
/// </summary>
public static class AuditJsonLines
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The JSON Lines bytes of <paramref name="rows"/>.</summary>
    public static byte[] Encode(IReadOnlyList<ChainedAuditRow> rows)
    {
        using var buffer = new MemoryStream();
        foreach (var row in rows)
        {
            using (var json = new Utf8JsonWriter(buffer, Options))
            {
                Write(json, row);
            }

            buffer.WriteByte((byte)'\n');
        }

        return buffer.ToArray();
    }

    private static void Write(Utf8JsonWriter json, ChainedAuditRow row)
    {
        var entry = row.Entry;
        json.WriteStartObject();
        json.WriteNumber("id", row.Id);
        json.WriteString("time", entry.Time.UtcDateTime.ToString(AuditRowHash.TimeFormat, CultureInfo.InvariantCulture));
        json.WriteString("platform", entry.Platform);
        json.WriteString("place", entry.Place);
        json.WriteString("user_id", entry.UserId);
        json.WriteString("command", entry.Command);
        json.WriteString("decision", entry.Decision);
        json.WriteString("reason", entry.Reason);
        json.WriteString("outcome", entry.Outcome);
        json.WriteStartArray("request_ids");
        foreach (var id in entry.RequestIds)
        {
            json.WriteStringValue(id);
        }

        json.WriteEndArray();
        json.WriteString("prev_hash", row.PreviousHash);
        json.WriteString("row_hash", row.RowHash);
        json.WriteEndObject();
    }
}
