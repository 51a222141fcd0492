using System.Text.Json.Serialization;

namespace PscaleBot.Bot.Slack.Rendering;

/// <summary>
/// A Block Kit layout block as Slack's JSON has it. Blocks are immutable, so one instance is shared by every
/// message and reply that carries it; nothing on the way to Slack copies them.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(HeaderBlock), "header")]
[JsonDerivedType(typeof(SectionBlock), "section")]
[JsonDerivedType(typeof(ContextBlock), "context")]
[JsonDerivedType(typeof(ActionsBlock), "actions")]
[JsonDerivedType(typeof(DividerBlock), "divider")]
[JsonDerivedType(typeof(TableBlock), "table")]
[JsonDerivedType(typeof(InputBlock), "input")]
public abstract record SlackBlock
{
    /// <summary>
    /// The characters of every <c>text</c> string inside the block: what Slack counts against its undocumented
    /// ~12–13k characters per message (<c>msg_blocks_too_long</c>).
    /// </summary>
    public abstract int TextLength();
}

/// <summary>A <c>header</c>: large plain text.</summary>
/// <param name="Text">Plain text, at most 150 characters.</param>
public sealed record HeaderBlock(SlackText Text) : SlackBlock
{
    /// <inheritdoc />
    public override int TextLength() => Text.Text.Length;
}

/// <summary>A <c>section</c>: mrkdwn text, two-column fields, or both.</summary>
/// <param name="Text">The text, at most 3000 characters.</param>
/// <param name="Fields">At most 10 fields of at most 2000 characters.</param>
public sealed record SectionBlock(SlackText? Text, IReadOnlyList<SlackText>? Fields = null) : SlackBlock
{
    /// <inheritdoc />
    public override int TextLength() => (Text?.Text.Length ?? 0) + (Fields?.Sum(f => f.Text.Length) ?? 0);
}

/// <summary>A <c>context</c> line of small text elements (at most 10).</summary>
/// <param name="Elements">The elements.</param>
public sealed record ContextBlock(IReadOnlyList<SlackText> Elements) : SlackBlock
{
    /// <inheritdoc />
    public override int TextLength() => Elements.Sum(e => e.Text.Length);
}

/// <summary>An <c>actions</c> block of buttons (at most 25).</summary>
/// <param name="BlockId">Unique per message revision, as Slack advises (at most 255 characters).</param>
/// <param name="Elements">The buttons.</param>
public sealed record ActionsBlock(string BlockId, IReadOnlyList<ButtonElement> Elements) : SlackBlock
{
    /// <inheritdoc />
    public override int TextLength() => Elements.Sum(e => e.Text.Text.Length);
}

/// <summary>A <c>divider</c>.</summary>
public sealed record DividerBlock : SlackBlock
{
    /// <inheritdoc />
    public override int TextLength() => 0;
}

/// <summary>A <c>table</c>: the first row is the header; at most 100 rows of at most 20 cells, one table per message.</summary>
/// <param name="ColumnSettings">Per-column settings, if any.</param>
/// <param name="Rows">The rows, header first.</param>
public sealed record TableBlock(IReadOnlyList<TableColumnSetting>? ColumnSettings, IReadOnlyList<IReadOnlyList<TableBlockCell>> Rows) : SlackBlock
{
    /// <inheritdoc />
    public override int TextLength() => Rows.Sum(r => r.Sum(c => c.TextLength()));
}

/// <summary>How one table column is laid out.</summary>
/// <param name="IsWrapped">Wrap long cells instead of cutting them.</param>
/// <param name="Align"><c>left</c>, <c>center</c> or <c>right</c>; Slack's default is left.</param>
public sealed record TableColumnSetting(bool? IsWrapped = null, string? Align = null);

/// <summary>A text object: <c>plain_text</c> (with <c>emoji</c>) or <c>mrkdwn</c>.</summary>
/// <param name="Type"><c>plain_text</c> or <c>mrkdwn</c>.</param>
/// <param name="Text">The text; mrkdwn must already be escaped.</param>
/// <param name="Emoji">Render <c>:emoji:</c> codes (plain text only).</param>
public sealed record SlackText(string Type, string Text, bool? Emoji = null)
{
    /// <summary>Plain text with emoji codes shown as emoji.</summary>
    public static SlackText Plain(string text) => new("plain_text", text, true);

    /// <summary>mrkdwn text (already escaped).</summary>
    public static SlackText Mrkdwn(string text) => new("mrkdwn", text);
}

/// <summary>A <c>button</c> element.</summary>
/// <param name="ActionId">What the click is routed by (at most 255 characters).</param>
/// <param name="Text">The label, plain text of at most 75 characters.</param>
/// <param name="Value">Echoed back on click (at most 2000 characters).</param>
/// <param name="Style"><c>primary</c>, <c>danger</c> or null.</param>
public sealed record ButtonElement(string ActionId, SlackText Text, string Value, string? Style = null)
{
    /// <summary>Always <c>button</c>.</summary>
    [JsonPropertyOrder(-1)]
    public string Type => "button";
}

/// <summary>A table cell: <c>raw_text</c> or <c>rich_text</c>.</summary>
[JsonConverter(typeof(TableBlockCellConverter))]
public abstract record TableBlockCell
{
    /// <summary>Characters of text in the cell.</summary>
    public abstract int TextLength();
}

/// <summary>A cell shown exactly as typed (not mrkdwn, so nothing is escaped).</summary>
/// <param name="Text">The text.</param>
public sealed record RawTextCell(string Text) : TableBlockCell
{
    /// <inheritdoc />
    public override int TextLength() => Text.Length;
}

/// <summary>A cell of styled runs (a <c>rich_text</c> block).</summary>
/// <param name="Elements">Its sections.</param>
public sealed record RichTextCell(IReadOnlyList<RichTextSection> Elements) : TableBlockCell
{
    /// <inheritdoc />
    public override int TextLength() => Elements.Sum(s => s.Elements.Sum(r => r.Text.Length));
}

/// <summary>A <c>rich_text_section</c>: runs of text in one paragraph.</summary>
/// <param name="Elements">The runs.</param>
public sealed record RichTextSection(IReadOnlyList<RichTextRun> Elements)
{
    /// <summary>Always <c>rich_text_section</c>.</summary>
    [JsonPropertyOrder(-1)]
    public string Type => "rich_text_section";
}

/// <summary>A run of text with one style.</summary>
/// <param name="Text">The text, as typed.</param>
/// <param name="Style">Its style, or null for plain.</param>
public sealed record RichTextRun(string Text, RichTextStyle? Style = null)
{
    /// <summary>Always <c>text</c>.</summary>
    [JsonPropertyOrder(-1)]
    public string Type => "text";
}

/// <summary>The style of a rich-text run; unset flags are left out of the JSON.</summary>
/// <param name="Bold">Bold.</param>
/// <param name="Strike">Struck through.</param>
/// <param name="Code">Monospace.</param>
public sealed record RichTextStyle(bool? Bold = null, bool? Strike = null, bool? Code = null);
