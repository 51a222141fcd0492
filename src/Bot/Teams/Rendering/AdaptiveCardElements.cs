using PscaleBot.Bot.Teams.Protocol;
using PscaleBot.Bot.Teams.Protocol.Cards;

namespace PscaleBot.Bot.Teams.Rendering;

/// <summary>
/// The bot's house style for Adaptive Card 1.5 elements. Teams supports cards up to 1.5 only, and Table
/// rendering on mobile is fragile, so cells are plain wrapped TextBlocks and widths are equal.
/// </summary>
internal static class AdaptiveCardElements
{
    public static AdaptiveCard Card(string fallbackText, params IEnumerable<CardElement> body) => new()
    {
        FallbackText = fallbackText,
        MsTeams = MsTeamsCardProperties.FullWidth,
        Body = [.. body],
    };

    public static TextBlock Title(string text) =>
        new(text) { Size = TextSize.Medium, Weight = TextWeight.Bolder, Style = TextBlockStyle.Heading };

    public static TextBlock Subtle(string text) => new(text) { IsSubtle = true, Spacing = Spacing.None };

    public static TextBlock Text(string text, TextColor? color = null, bool bold = false, bool monospace = false) => new(text)
    {
        Color = color,
        Weight = bold ? TextWeight.Bolder : null,
        FontType = monospace ? FontType.Monospace : null,
    };

    public static FactSet Facts(IEnumerable<(string Title, string Value)> facts) => new([.. facts.Select(f => new Fact(f.Title, f.Value))]);

    public static Table Table(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        // Arrays of exact size: a table card holds hundreds of these objects, so no list growth or LINQ buffers.
        var columns = new TableColumn[headers.Count];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = EqualWidth;
        }

        var tableRows = new TableRow[rows.Count + 1];
        tableRows[0] = Row(headers, header: true);
        for (var i = 0; i < rows.Count; i++)
        {
            tableRows[i + 1] = Row(rows[i], header: false);
        }

        return new() { GridStyle = ContainerStyle.Accent, Columns = columns, Rows = tableRows };
    }

    /// <summary>The card's size as sent (UTF-8 JSON bytes).</summary>
    public static int SizeInBytes(AdaptiveCard card) => TeamsJson.SizeInBytes(card, TeamsJsonContext.Default.AdaptiveCard);

    /// <summary>The serialized size of one data row of <see cref="Table"/>.</summary>
    public static int RowSizeInBytes(IReadOnlyList<string> cells) => TeamsJson.SizeInBytes(Row(cells, header: false), TeamsJsonContext.Default.TableRow);

    private static readonly TableColumn EqualWidth = new(1);

    private static TableRow Row(IReadOnlyList<string> cells, bool header)
    {
        var tableCells = new TableCell[cells.Count];
        for (var i = 0; i < tableCells.Length; i++)
        {
            tableCells[i] = new TableCell([new TextBlock(cells[i]) { Weight = header ? TextWeight.Bolder : null }]);
        }

        return new TableRow(tableCells);
    }
}
