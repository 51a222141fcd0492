using PscaleBot.Commands.Results;

namespace PscaleBot.Bot.Slack.Rendering;

/// <summary>A table to draw: column headers and rows of cells.</summary>
/// <param name="Header">The column headers.</param>
/// <param name="Rows">The rows, in display order.</param>
internal sealed record SlackTable(IReadOnlyList<string> Header, IReadOnlyList<SlackTableCell[]> Rows);

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

    /// <summary>The blocks of <paramref name="table"/> in <paramref name="style"/>.</summary>
    public static IEnumerable<BlockPart> Draw(SlackTable table, SlackTableStyle style) =>
        style == SlackTableStyle.Table ? TableBlocks(table) : CodeTable(table);

    private static IEnumerable<BlockPart> TableBlocks(SlackTable table)
    {
        IReadOnlyList<TableCell> headerRow = [.. table.Header.Select(h => BlockKit.RichCell([(h, TextStyle.Bold)]))];
        IReadOnlyList<TableColumnSetting> columns = [.. table.Header.Select(_ => new TableColumnSetting(IsWrapped: true))];
        var start = 0;
        foreach (var count in Chunks(table))
        {
            // The header row and the column settings are immutable, so every chunk shares them.
            IReadOnlyList<IReadOnlyList<TableCell>> rows =
                [headerRow, .. table.Rows.Skip(start).Take(count).Select(r => (IReadOnlyList<TableCell>)[.. r.Select(c => c.ToTableCell())])];
            yield return new BlockPart(BlockKit.Table(rows, columns), count);
            start += count;
        }
    }

    /// <summary>The number of data rows in each table block: at most 99, and within the characters a table may hold.</summary>
    private static IEnumerable<int> Chunks(SlackTable table)
    {
        var headerChars = table.Header.Sum(h => h.Length);
        var count = 0;
        var chars = headerChars;
        foreach (var row in table.Rows)
        {
            var rowChars = row.Sum(c => c.TableTextLength);
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
        var texts = table.Rows.Select(r => r.Select(c => c.ToPlainText()).ToArray()).ToList();
        var widths = table.Header.Select((h, i) => Math.Min(40, Math.Max(h.Length, texts.Count == 0 ? 0 : texts.Max(t => t[i].Length)))).ToArray();
        string Line(IReadOnlyList<string> cells) =>
            string.Join("  ", cells.Select((c, i) => i == cells.Count - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
        return SlackCodeBlocks.Of(texts.Select(Line), rowsAreData: true, heading: Line([.. table.Header.Select(h => h.ToUpperInvariant())]));
    }
}

/// <summary>One table cell, drawable as a table-block cell or as monospace text.</summary>
/// <param name="Text">Plain text, or null for a list of permissions.</param>
/// <param name="Entries">Permissions with their changes: <c>+added</c> in bold, removed struck through.</param>
internal sealed record SlackTableCell(string? Text, IReadOnlyList<PermissionEntry>? Entries)
{
    /// <summary>A plain cell.</summary>
    public static SlackTableCell Plain(string text) => new(text, null);

    /// <summary>A cell listing permissions with their changes.</summary>
    public static SlackTableCell Permissions(IReadOnlyList<PermissionEntry> entries) => new(null, entries);

    /// <summary>The characters of <see cref="ToTableCell"/>, known without building it.</summary>
    public int TableTextLength => Entries switch
    {
        null => string.IsNullOrEmpty(Text) ? 1 : Text.Length,
        [] => 1,
        _ => Entries.Sum(e => e.Name.Length + (e.Change == PermissionChange.Added ? 1 : 0)) + (2 * (Entries.Count - 1)),
    };

    /// <summary>The table-block cell.</summary>
    public TableCell ToTableCell()
    {
        if (Entries is null)
        {
            return BlockKit.RawCell(Text ?? "");
        }

        var runs = new List<(string, TextStyle)>();
        foreach (var (entry, index) in Entries.Select((e, i) => (e, i)))
        {
            if (index > 0)
            {
                runs.Add((", ", TextStyle.None));
            }

            runs.Add(entry.Change switch
            {
                PermissionChange.Added => ($"+{entry.Name}", TextStyle.Bold),
                PermissionChange.Removed => (entry.Name, TextStyle.Strike),
                _ => (entry.Name, TextStyle.None),
            });
        }

        return BlockKit.RichCell(runs);
    }

    /// <summary>The monospace text: <c>+added</c>, <c>-removed</c>.</summary>
    public string ToPlainText() => Entries is null
        ? Text ?? ""
        : string.Join(", ", Entries.Select(e => e.Change switch
        {
            PermissionChange.Added => $"+{e.Name}",
            PermissionChange.Removed => $"-{e.Name}",
            _ => e.Name,
        }));
}
