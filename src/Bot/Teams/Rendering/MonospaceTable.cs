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

    public static string Render(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var widths = headers.Select((h, i) => Math.Min(MaxPad, rows.Select(r => Clean(r[i]).Length).Append(h.Length).Max())).ToArray();
        var builder = new StringBuilder();
        AppendLine(builder, headers, widths);
        AppendLine(builder, DashCells(widths), widths);
        foreach (var row in rows)
        {
            AppendLine(builder, row, widths);
        }

        return CodeBlock(builder.ToString().TrimEnd('\n'));
    }

    /// <summary>Wraps text in a fenced block, breaking any fence inside it so it cannot end the block early.</summary>
    public static string CodeBlock(string text) => "```\n" + BreakFences(text) + "\n```";

    /// <summary>What <see cref="CodeBlock"/> does to the text inside the fences.</summary>
    public static string BreakFences(string text) => text.Replace("```", "`\u200B``", StringComparison.Ordinal);

    /// <summary>One line of the table (no line break), each cell but the last padded to its column's width plus 2
    /// (a cell wider than its column: to its own width plus 2).</summary>
    public static string Line(IReadOnlyList<string> cells, IReadOnlyList<int> widths)
    {
        var line = AppendLine(new StringBuilder(), cells, widths);
        return line.ToString(0, line.Length - 1);
    }

    /// <summary>The line under the headers.</summary>
    public static string[] DashCells(IReadOnlyList<int> widths) => [.. widths.Select(w => new string('-', w))];

    /// <summary>A cell as the table shows it: on one line.</summary>
    public static string Clean(string cell) => cell.ReplaceLineEndings(" ");

    private static StringBuilder AppendLine(StringBuilder builder, IReadOnlyList<string> cells, IReadOnlyList<int> widths)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            var cell = Clean(cells[i]);
            // A cell longer than its (capped) column still gets two spaces, so it never runs into the next one.
            builder.Append(i == cells.Count - 1 ? cell : cell.PadRight(Math.Max(widths[i], cell.Length) + 2));
        }

        return builder.Append('\n');
    }
}
