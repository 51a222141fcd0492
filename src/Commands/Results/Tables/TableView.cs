using PscaleBot.Commands.Text;

namespace PscaleBot.Commands.Results.Tables;

/// <summary>
/// One table as every renderer draws it: the columns, their headers, the rows in their final order, the
/// title, what to say when it is empty and the legend for its marks. Text, CSV, JSON, Block Kit and
/// Adaptive Cards all draw from this, so a column is named, ordered and marked once
/// (<see cref="TableViews"/> builds one per table result).
/// </summary>
/// <param name="Title">A heading for chat (<c>Service tokens in acme</c>); terminals print none, as the CLI does.</param>
/// <param name="Columns">The columns, in order.</param>
/// <param name="Rows">The rows, in order; each has one cell per column.</param>
/// <param name="EmptyText">The sentence shown instead of an empty table.</param>
/// <param name="Legend">What the marks in the table mean, when any cell is marked; otherwise null.</param>
/// <param name="ReadAt">When the rows were read, if the result says so: relative times count from it rather than
/// from the renderer's clock.</param>
public sealed record TableView(
    string Title,
    IReadOnlyList<TableColumn> Columns,
    IReadOnlyList<TableRow> Rows,
    string EmptyText,
    string? Legend = null,
    DateTimeOffset? ReadAt = null)
{
    /// <summary>The columns a person sees: neither machine-only details nor secrets.</summary>
    public IEnumerable<int> ShownColumnIndexes(bool includeSecrets) => Enumerable.Range(0, Columns.Count)
        .Where(i => Columns[i].Role == ColumnRole.Shown || (includeSecrets && Columns[i].Role == ColumnRole.Secret));
}

/// <summary>Who a column is for.</summary>
public enum ColumnRole
{
    /// <summary>Every format shows it.</summary>
    Shown,

    /// <summary>A secret (a new token's value): shown in terminals and files, which only the requester receives; chat
    /// renderers show it apart from the table, privately, with a warning.</summary>
    Secret,

    /// <summary>Machine formats only (CSV, JSON): detail a person reading a table does not need.</summary>
    Detail,
}

/// <summary>One column.</summary>
/// <param name="Header">The header as the CLI prints it, upper case (<c>LAST USED AT</c>).</param>
/// <param name="Key">The machine name in snake case (<c>last_used_at</c>): the JSON key, and the CSV header in
/// Pascal case (<see cref="CsvHeader"/>).</param>
/// <param name="Role">Who the column is for.</param>
/// <param name="MarksChanges">True for a column of <see cref="PermissionsCell"/>s, whose marks CSV spells out in
/// <c>Added</c> and <c>Removed</c> columns.</param>
/// <param name="MaxWidth">People see at most this many characters of a cell (a long denial reason would stretch
/// every row); machine formats keep the full text.</param>
public sealed record TableColumn(string Header, string Key, ColumnRole Role = ColumnRole.Shown, bool MarksChanges = false, int? MaxWidth = null)
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Titles = new(StringComparer.Ordinal);

    /// <summary><paramref name="cell"/>, a cell of this column, as a person reads it.</summary>
    public string Display(TableCell cell, TableMedium medium, DateTimeOffset now)
    {
        var text = cell.Display(medium, now);
        return MaxWidth is { } width ? TextCut.Truncate(text, width) : text;
    }

    /// <summary>The header in sentence case for chat (<c>Last used at</c>, <c>Request IDs</c>): the same words as the
    /// terminal's, with <c>ID</c> kept an initialism.</summary>
    /// <remarks>Computed once per header (a small fixed set): chat renderers read it for every row of every answer.</remarks>
    public string Title => Titles.GetOrAdd(Header, static header => string.Join(' ', header.Split(' ').Select((word, i) => word switch
    {
        "ID" => "ID",
        "IDS" => "IDs",
        _ when i == 0 => word[..1] + word[1..].ToLowerInvariant(),
        _ => word.ToLowerInvariant(),
    })));

    /// <summary>The CSV header: the key in Pascal case, with <c>id</c> spelled <c>ID</c> as the CLI's CSV does
    /// (<c>token_id</c> → <c>TokenID</c>, <c>last_used_at</c> → <c>LastUsedAt</c>).</summary>
    public string CsvHeader => string.Concat(Key.Split('_').Select(word => word switch
    {
        "id" => "ID",
        "ids" => "IDs",
        "" => "",
        _ => char.ToUpperInvariant(word[0]) + word[1..],
    }));
}

/// <summary>One row: a cell per column.</summary>
public sealed record TableRow(IReadOnlyList<TableCell> Cells);
