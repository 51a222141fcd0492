using System.Text;

namespace PscaleBot.Bot.Teams.Rendering;

/// <summary>
/// A padded plain-text table inside a fenced code block: the one table form every Teams client shows
/// (text messages do not render Markdown tables).
/// </summary>
internal static class MonospaceTable
{
    /// <summary>Columns pad to at most this width, so one long cell cannot pad every other line (and blow the card size).</summary>
    public const int MaxPad = 40;

    // Builders longer than this are not kept between calls (a card's fallback stays far below it).
    private const int MaxKeptCapacity = 64 * 1024;

    // One builder per thread, reused: a table card's fallback text is built once per card, and building it in a fresh
    // builder cost its size twice over (the chunks, then the string).
    [ThreadStatic]
    private static StringBuilder? scratch;

    /// <summary>
    /// <paramref name="heading"/> and a line break (when given), the table in a code block (headers, a line of dashes,
    /// the rows; each cell but the last padded, see <see cref="Line"/>), then a line break and <paramref name="footnote"/>
    /// (when given), built into one string.
    /// </summary>
    public static string RenderUnder(string? heading, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows, string? footnote)
    {
        var builder = scratch ?? new StringBuilder(4096);
        scratch = null;
        try
        {
            if (heading is not null)
            {
                builder.Append(heading).Append('\n');
            }

            Span<int> widths = headers.Count <= 16 ? stackalloc int[headers.Count] : new int[headers.Count];
            for (var i = 0; i < headers.Count; i++)
            {
                var width = headers[i].Length;
                foreach (var row in rows)
                {
                    width = Math.Max(width, Clean(row[i]).Length);
                }

                widths[i] = Math.Min(MaxPad, width);
            }

            // Fences are broken cell by cell: cells are separated by spaces or line breaks, so no run of backticks
            // spans two of them and the text is the same as breaking the whole table at once.
            builder.Append("```\n");
            AppendLine(builder, headers, widths);
            builder.Append('\n');
            for (var i = 0; i < widths.Length; i++)
            {
                builder.Append('-', widths[i]);
                if (i < widths.Length - 1)
                {
                    builder.Append(' ', 2);
                }
            }

            foreach (var row in rows)
            {
                builder.Append('\n');
                AppendLine(builder, row, widths);
            }

            builder.Append("\n```");
            if (footnote is not null)
            {
                builder.Append('\n').Append(footnote);
            }

            return builder.ToString();
        }
        finally
        {
            if (builder.Capacity <= MaxKeptCapacity)
            {
                builder.Clear();
                scratch = builder;
            }
        }
    }

    /// <summary>Wraps text in a fenced block, breaking any fence inside it so it cannot end the block early.</summary>
    public static string CodeBlock(string text) => "```\n" + BreakFences(text) + "\n```";

    /// <summary>What <see cref="CodeBlock"/> does to the text inside the fences.</summary>
    public static string BreakFences(string text) => text.Replace("```", "`\u200B``", StringComparison.Ordinal);

    /// <summary>One line of the table (no line break), each cell but the last padded to its column's width plus 2
    /// (a cell wider than its column: to its own width plus 2).</summary>
    public static string Line(IReadOnlyList<string> cells, IReadOnlyList<int> widths)
    {
        var line = new StringBuilder();
        for (var i = 0; i < cells.Count; i++)
        {
            var cell = Clean(cells[i]);
            line.Append(i == cells.Count - 1 ? cell : cell.PadRight(Math.Max(widths[i], cell.Length) + 2));
        }

        return line.ToString();
    }

    /// <summary>The line under the headers.</summary>
    public static string[] DashCells(IReadOnlyList<int> widths) => [.. widths.Select(w => new string('-', w))];

    /// <summary>A cell as the table shows it: on one line.</summary>
    public static string Clean(string cell) => cell.ReplaceLineEndings(" ");

    private static void AppendLine(StringBuilder builder, IReadOnlyList<string> cells, ReadOnlySpan<int> widths)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            var cell = Clean(cells[i]);
            builder.Append(BreakFences(cell));
            if (i < cells.Count - 1)
            {
                // A cell longer than its (capped) column still gets two spaces, so it never runs into the next one.
                builder.Append(' ', Math.Max(widths[i], cell.Length) + 2 - cell.Length);
            }
        }
    }
}
