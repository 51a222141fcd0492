using PscaleBot.Commands.Results;
using PscaleBot.Commands.Results.Tables;

namespace PscaleBot.Bot.Slack.Rendering;

/// <summary>
/// A <see cref="TableView"/> as chat shows it, worked out once: the columns people see (no details, no secrets:
/// a new token's secret is shown apart, privately) and each cell's text, an em dash for nothing.
/// </summary>
/// <param name="View">The table.</param>
/// <param name="Columns">The columns shown, in order.</param>
/// <param name="Rows">Each row's shown cells with their text.</param>
internal sealed record SlackTable(TableView View, IReadOnlyList<TableColumn> Columns, IReadOnlyList<SlackTableCell[]> Rows)
{
    /// <summary>The chat form of <paramref name="view"/>; relative times count from <paramref name="now"/> unless the view says when it was read.</summary>
    public static SlackTable Of(TableView view, DateTimeOffset now)
    {
        now = view.ReadAt ?? now;
        var shown = view.ShownColumnIndexes(includeSecrets: false).ToList();
        var rows = view.Rows.Select(row => shown
            .Select(i => new SlackTableCell(row.Cells[i], view.Columns[i].Display(row.Cells[i], TableMedium.Chat, now) is { Length: > 0 } text ? text : "—"))
            .ToArray());
        return new SlackTable(view, [.. shown.Select(i => view.Columns[i])], [.. rows]);
    }
}

/// <summary>One shown cell and its text.</summary>
/// <param name="Cell">The cell, for its marks.</param>
/// <param name="Text">What a person reads, with the same <c>+</c>/<c>-</c> marks as the text table.</param>
internal sealed record SlackTableCell(TableCell Cell, string Text)
{
    /// <summary>
    /// The table-block cell: plain text, or for permissions styled runs with the text's marks (<c>+added</c> bold,
    /// <c>-removed</c> struck). Either way its characters are exactly <see cref="Text"/>'s.
    /// </summary>
    public TableBlockCell ToTableCell()
    {
        if (Cell is not PermissionsCell { Entries.Count: > 0 } permissions)
        {
            return BlockKit.RawCell(Text);
        }

        var runs = new List<(string, TextStyle)>();
        foreach (var entry in permissions.Entries)
        {
            if (runs.Count > 0)
            {
                runs.Add((", ", TextStyle.None));
            }

            runs.Add((PermissionsCell.Marked(entry), entry.Change switch
            {
                PermissionChange.Added => TextStyle.Bold,
                PermissionChange.Removed => TextStyle.Strike,
                _ => TextStyle.None,
            }));
        }

        return BlockKit.RichCell(runs);
    }
}

/// <summary>
/// Draws tables within Slack's limits: as <c>table</c> blocks of at most 99 data rows and ~9000 characters each
/// (one per message), or as monospace code blocks. The style is chosen once, from the sizes, before anything is drawn.
/// </summary>
internal static class SlackTables
{
    private const int MaxTableDataRows = SlackMessageLimits.MaxTableRows - 1;

    /// <summary>
    /// Table blocks when every table fits in the messages allowed (each table block needs a message of its own),
    /// else code blocks, which are denser.
    /// </summary>
    public static SlackTableStyle StyleFor(SlackTableStyle preferred, IEnumerable<SlackTable> tables, int maxMessages) =>
        preferred == SlackTableStyle.Table && tables.Sum(t => Chunks(t).Count()) > maxMessages ? SlackTableStyle.CodeBlock : preferred;

    /// <summary>The blocks of <paramref name="table"/> in <paramref name="style"/>; none for an empty table.</summary>
    public static IEnumerable<BlockPart> Draw(SlackTable table, SlackTableStyle style) =>
        style == SlackTableStyle.Table ? TableBlocks(table) : CodeTable(table);

    private static IEnumerable<BlockPart> TableBlocks(SlackTable table)
    {
        // Chat headers in sentence case: the same words as the terminal's.
        IReadOnlyList<TableBlockCell> headerRow = [.. table.Columns.Select(c => BlockKit.RichCell([(c.Title, TextStyle.Bold)]))];
        IReadOnlyList<TableColumnSetting> columns = [.. table.Columns.Select(_ => new TableColumnSetting(IsWrapped: true))];
        var start = 0;
        foreach (var count in Chunks(table))
        {
            // The header row and the column settings are immutable, so every chunk shares them.
            IReadOnlyList<IReadOnlyList<TableBlockCell>> rows =
                [headerRow, .. table.Rows.Skip(start).Take(count).Select(r => (IReadOnlyList<TableBlockCell>)[.. r.Select(c => c.ToTableCell())])];
            yield return new BlockPart(BlockKit.Table(rows, columns), count);
            start += count;
        }
    }

    /// <summary>The number of data rows in each table block: at most 99, and within the characters a table may hold.</summary>
    private static IEnumerable<int> Chunks(SlackTable table)
    {
        var headerChars = table.Columns.Sum(c => c.Title.Length);
        var count = 0;
        var chars = headerChars;
        foreach (var row in table.Rows)
        {
            var rowChars = row.Sum(c => c.Text.Length);
            if (count > 0 && (count >= MaxTableDataRows || chars + rowChars > SlackMessageLimits.MaxTableText))
            {
                yield return count;
                count = 0;
                chars = headerChars;
            }

            count++;
            chars += rowChars;
        }

        if (count > 0)
        {
            yield return count;
        }
    }

    private static IEnumerable<BlockPart> CodeTable(SlackTable table)
    {
        var widths = table.Columns.Select((c, i) => Math.Min(40, Math.Max(c.Header.Length, table.Rows.Count == 0 ? 0 : table.Rows.Max(r => r[i].Text.Length)))).ToArray();
        string Line(IReadOnlyList<string> cells) =>
            string.Join("  ", cells.Select((c, i) => i == cells.Count - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
        return SlackCodeBlocks.Of(
            table.Rows.Select(r => Line([.. r.Select(c => c.Text)])),
            rowsAreData: true,
            heading: Line([.. table.Columns.Select(c => c.Header)]));
    }
}
