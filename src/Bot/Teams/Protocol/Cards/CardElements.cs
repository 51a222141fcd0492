using System.Text.Json.Serialization;

namespace PscaleBot.Bot.Teams.Protocol.Cards;

/// <summary>
/// An element of a card's body; <see cref="Type"/>, written first, names the concrete record. Written by
/// <see cref="CardElementConverter"/> rather than System.Text.Json's polymorphism, which allocated about 300 bytes
/// per element written (a table card has hundreds of them).
/// </summary>
[JsonConverter(typeof(CardElementConverter))]
internal abstract record CardElement
{
    /// <summary>The element's JSON <c>type</c>.</summary>
    [JsonPropertyOrder(-1)]
    public abstract string Type { get; }
}

/// <summary>
/// Text. Members are declared in the order the bot has always written them, so a bold or coloured block
/// reads <c>text, size, isSubtle, spacing, weight, wrap, color, fontType, style</c>.
/// </summary>
internal sealed record TextBlock(string Text) : CardElement
{
    /// <inheritdoc />
    [JsonPropertyOrder(-1)]
    public override string Type => "TextBlock";

    public TextSize? Size { get; init; }

    public bool? IsSubtle { get; init; }

    public Spacing? Spacing { get; init; }

    public TextWeight? Weight { get; init; }

    /// <summary>Always on: Teams truncates unwrapped text to one line.</summary>
    public bool Wrap { get; init; } = true;

    public TextColor? Color { get; init; }

    public FontType? FontType { get; init; }

    public TextBlockStyle? Style { get; init; }
}

/// <summary>Title/value pairs.</summary>
internal sealed record FactSet(IReadOnlyList<Fact> Facts) : CardElement
{
    /// <inheritdoc />
    [JsonPropertyOrder(-1)]
    public override string Type => "FactSet";
}

/// <summary>One line of a <see cref="FactSet"/>.</summary>
internal sealed record Fact(string Title, string Value);

/// <summary>A grid (Adaptive Cards 1.5). The first row holds the headers.</summary>
internal sealed record Table : CardElement
{
    /// <inheritdoc />
    [JsonPropertyOrder(-1)]
    public override string Type => "Table";

    public bool FirstRowAsHeader { get; init; } = true;

    public bool ShowGridLines { get; init; } = true;

    public ContainerStyle? GridStyle { get; init; }

    public required IReadOnlyList<TableColumn> Columns { get; init; }

    public required IReadOnlyList<TableRow> Rows { get; init; }
}

/// <summary>A column's relative width.</summary>
internal sealed record TableColumn(int Width);

/// <summary>One row of a <see cref="Table"/>.</summary>
internal sealed record TableRow(IReadOnlyList<TableCell> Cells)
{
    [JsonPropertyOrder(-1)]
    public string Type => "TableRow";
}

/// <summary>One cell of a <see cref="TableRow"/>.</summary>
internal sealed record TableCell(IReadOnlyList<CardElement> Items)
{
    [JsonPropertyOrder(-1)]
    public string Type => "TableCell";
}

/// <summary>A group of elements, optionally styled.</summary>
internal sealed record Container(IReadOnlyList<CardElement> Items) : CardElement
{
    /// <inheritdoc />
    [JsonPropertyOrder(-1)]
    public override string Type => "Container";

    public ContainerStyle? Style { get; init; }
}

/// <summary>Elements side by side.</summary>
internal sealed record ColumnSet(IReadOnlyList<Column> Columns) : CardElement
{
    /// <inheritdoc />
    [JsonPropertyOrder(-1)]
    public override string Type => "ColumnSet";
}

/// <summary>One column of a <see cref="ColumnSet"/>; <see cref="Width"/> is <c>auto</c>, <c>stretch</c> or a weight such as <c>2</c>.</summary>
internal sealed record Column(IReadOnlyList<CardElement> Items, string? Width = null)
{
    [JsonPropertyOrder(-1)]
    public string Type => "Column";
}

/// <summary>Text sizes the bot uses.</summary>
internal enum TextSize
{
    Small,
    Default,
    Medium,
    Large,
}

/// <summary>Text weights.</summary>
internal enum TextWeight
{
    Lighter,
    Default,
    Bolder,
}

/// <summary>Text colours (named by meaning; the host theme picks the colour).</summary>
internal enum TextColor
{
    Default,
    Accent,
    Good,
    Warning,
    Attention,
}

/// <summary>Font families.</summary>
internal enum FontType
{
    Default,
    Monospace,
}

/// <summary>Space above an element.</summary>
internal enum Spacing
{
    None,
    Small,
    Default,
    Medium,
    Large,
}

/// <summary>TextBlock styles; <c>heading</c> marks a heading for screen readers.</summary>
internal enum TextBlockStyle
{
    [JsonStringEnumMemberName("default")]
    Default,

    [JsonStringEnumMemberName("heading")]
    Heading,
}

/// <summary>Container and table grid styles (lower-case on the wire).</summary>
internal enum ContainerStyle
{
    [JsonStringEnumMemberName("default")]
    Default,

    [JsonStringEnumMemberName("emphasis")]
    Emphasis,

    [JsonStringEnumMemberName("good")]
    Good,

    [JsonStringEnumMemberName("attention")]
    Attention,

    [JsonStringEnumMemberName("warning")]
    Warning,

    [JsonStringEnumMemberName("accent")]
    Accent,
}
