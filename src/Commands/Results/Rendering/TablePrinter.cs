using System.Text;

namespace PscaleBot.Commands.Results.Rendering;

/// <summary>
/// Tables laid out as lensesio/tableprinter prints them for the CLI: no borders, a dashed rule under the
/// header, each cell padded by one space either side, columns one space apart, left-aligned, and the row
/// count in the first header when there are more than three rows (<c>ID (12)</c>). Trailing spaces are
/// trimmed (tableprinter pads the last column; chat clients show nothing for them).
/// </summary>
public static class TablePrinter
{
    /// <summary>Lays out <paramref name="rows"/> under <paramref name="headers"/> (already upper-case).</summary>
    public static string Render(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var titles = headers.ToArray();
        if (rows.Count > 3 && titles.Length > 0)
        {
            titles[0] = $"{titles[0]} ({rows.Count})";
        }

        var cells = rows.Select(r => r.Select(Flatten).ToArray()).ToArray();
        var widths = new int[titles.Length];
        for (var column = 0; column < titles.Length; column++)
        {
            widths[column] = Math.Max(titles[column].Length, cells.Length == 0 ? 0 : cells.Max(r => column < r.Length ? r[column].Length : 0));
        }

        var text = new StringBuilder();
        AppendLine(text, titles, widths);
        text.Append(' ').AppendJoin(' ', widths.Select(w => new string('-', w + 2))).Append('\n');
        foreach (var row in cells)
        {
            AppendLine(text, row, widths);
        }

        return text.ToString().TrimEnd('\n');
    }

    private static void AppendLine(StringBuilder text, IReadOnlyList<string> cells, int[] widths)
    {
        var line = new StringBuilder(" ");
        for (var column = 0; column < widths.Length; column++)
        {
            if (column > 0)
            {
                line.Append(' ');
            }

            line.Append(' ').Append((column < cells.Count ? cells[column] : "").PadRight(widths[column])).Append(' ');
        }

        text.Append(line.ToString().TrimEnd()).Append('\n');
    }

    // A cell is one line: a line break inside it would break the columns.
    private static string Flatten(string cell) => cell.ReplaceLineEndings(" ");
}
