using System.Text;

namespace PscaleBot.Commands.Results.Rendering;

/// <summary>
/// RFC 4180 CSV: CRLF after every record, fields quoted when they hold <c>"</c>, <c>,</c>, CR or LF, quotes
/// doubled. A field starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or CR gets a leading <c>'</c> so
/// a spreadsheet never runs user-typed text (audit commands) as a formula.
/// </summary>
public static class CsvTableWriter
{
    /// <summary>A header record followed by <paramref name="rows"/>.</summary>
    public static string Write(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var text = new StringBuilder();
        AppendRecord(text, header);
        foreach (var row in rows)
        {
            AppendRecord(text, row);
        }

        return text.ToString();
    }

    private static void AppendRecord(StringBuilder text, IReadOnlyList<string?> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(Field(fields[i] ?? ""));
        }

        text.Append("\r\n");
    }

    private static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny("\",\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
