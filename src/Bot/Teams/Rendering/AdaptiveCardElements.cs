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

    public static Table Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows) => new()
    {
        GridStyle = ContainerStyle.Accent,
        Columns = [.. headers.Select(_ => new TableColumn(1))],
        Rows = [Row(headers, header: true), .. rows.Select(r => Row(r, header: false))],
    };

    /// <summary>The card's size as sent (UTF-8 JSON bytes).</summary>
    public static int SizeInBytes(AdaptiveCard card) => TeamsJson.SizeInBytes(card, TeamsJsonContext.Default.AdaptiveCard);

    /// <summary>The serialized size of one data row of <see cref="Table"/>.</summary>
    public static int RowSizeInBytes(IReadOnlyList<string> cells) => TeamsJson.SizeInBytes(Row(cells, header: false), TeamsJsonContext.Default.TableRow);

    private static TableRow Row(IReadOnlyList<string> cells, bool header) =>
        new([.. cells.Select(c => new TableCell([new TextBlock(c) { Weight = header ? TextWeight.Bolder : null }]))]);
}
