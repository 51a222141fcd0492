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
        AppendLine(builder, widths.Select(w => new string('-', w)).ToArray(), widths);
        foreach (var row in rows)
        {
            AppendLine(builder, row, widths);
        }

        return CodeBlock(builder.ToString().TrimEnd('\n'));
    }

    /// <summary>Wraps text in a fenced block, breaking any fence inside it so it cannot end the block early.</summary>
    public static string CodeBlock(string text) => "```\n" + text.Replace("```", "`\u200B``", StringComparison.Ordinal) + "\n```";

    private static void AppendLine(StringBuilder builder, IReadOnlyList<string> cells, int[] widths)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            var cell = Clean(cells[i]);
            builder.Append(i == cells.Count - 1 ? cell : cell.PadRight(widths[i] + 2));
        }

        builder.Append('\n');
    }

    private static string Clean(string cell) => cell.ReplaceLineEndings(" ");
}
