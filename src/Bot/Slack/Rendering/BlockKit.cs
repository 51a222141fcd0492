using PscaleBot.Commands.Text;

namespace PscaleBot.Bot.Slack.Rendering;

/// <summary>A message ready for Slack: the fallback text and its blocks.</summary>
/// <param name="Text">Top-level <c>text</c>: notifications and screen readers use it.</param>
/// <param name="Blocks">The Block Kit blocks, shared as they are (blocks are immutable).</param>
public sealed record SlackMessage(string Text, IReadOnlyList<SlackBlock> Blocks)
{
    /// <summary>A message of one mrkdwn section.</summary>
    public static SlackMessage Plain(string escapedMrkdwn) =>
        new(BlockKit.Truncate(escapedMrkdwn, SlackMessageLimits.MaxFallbackText), [BlockKit.Section(escapedMrkdwn)]);
}

/// <summary>Block builders; each keeps its own field within Slack's limits.</summary>
public static class BlockKit
{
    /// <summary>A <c>header</c> block (plain text, at most 150 characters).</summary>
    public static HeaderBlock Header(string plainText) =>
        new(SlackText.Plain(Truncate(NonEmpty(plainText), SlackMessageLimits.MaxHeaderText)));

    /// <summary>A <c>section</c> with mrkdwn text (already escaped), at most 3000 characters.</summary>
    public static SectionBlock Section(string mrkdwn) =>
        new(SlackText.Mrkdwn(Truncate(NonEmpty(mrkdwn), SlackMessageLimits.MaxSectionText)));

    /// <summary>A <c>section</c> of two-column fields (at most 10, each at most 2000 characters).</summary>
    public static SectionBlock Fields(IEnumerable<string> mrkdwnFields) =>
        new(null, [.. mrkdwnFields.Take(SlackMessageLimits.MaxSectionFields).Select(f => SlackText.Mrkdwn(Truncate(NonEmpty(f), SlackMessageLimits.MaxFieldText)))]);

    /// <summary>A <c>context</c> line of mrkdwn elements (at most 10).</summary>
    public static ContextBlock Context(params string[] mrkdwn) =>
        new([.. mrkdwn.Take(SlackMessageLimits.MaxContextElements).Select(e => SlackText.Mrkdwn(Truncate(NonEmpty(e), SlackMessageLimits.MaxSectionText)))]);

    /// <summary>An <c>actions</c> block of buttons (at most 25), under a <c>block_id</c> unique to the message revision.</summary>
    public static ActionsBlock Actions(string blockId, IEnumerable<ButtonElement> elements) =>
        new(Truncate(blockId, SlackMessageLimits.MaxBlockId), [.. elements.Take(SlackMessageLimits.MaxActionElements)]);

    /// <summary>A button; <paramref name="style"/> is <c>primary</c>, <c>danger</c> or null.</summary>
    public static ButtonElement Button(string actionId, string label, string value, string? style = null) =>
        new(actionId, SlackText.Plain(Truncate(NonEmpty(label), SlackMessageLimits.MaxButtonText)), Truncate(value, SlackMessageLimits.MaxButtonValue), style);

    /// <summary>A <c>divider</c>.</summary>
    public static DividerBlock Divider() => new();

    /// <summary>A <c>table</c> block; the first row is the header. Callers keep within 100 rows and 20 cells.</summary>
    public static TableBlock Table(IReadOnlyList<IReadOnlyList<TableBlockCell>> rows, IReadOnlyList<TableColumnSetting>? columnSettings = null) =>
        new(columnSettings, rows);

    /// <summary>A plain table cell (not mrkdwn: shown as typed, so no escaping).</summary>
    public static RawTextCell RawCell(string text) => new(NonEmpty(text));

    /// <summary>A rich-text table cell made of styled runs; an em dash when there are none.</summary>
    public static RichTextCell RichCell(IEnumerable<(string Text, TextStyle Style)> runs)
    {
        List<RichTextRun> elements = [.. runs.Select(r => new RichTextRun(r.Text, StyleOf(r.Style)))];
        if (elements.Count == 0)
        {
            elements.Add(new RichTextRun("—"));
        }

        return new RichTextCell([new RichTextSection(elements)]);
    }

    /// <summary>Cuts <paramref name="text"/> to <paramref name="max"/> characters, marking the cut.</summary>
    public static string Truncate(string text, int max) => TextCut.Truncate(text, max);

    /// <summary>The characters Slack counts across <paramref name="blocks"/>.</summary>
    public static int TextLength(IEnumerable<SlackBlock> blocks) => blocks.Sum(b => b.TextLength());

    private static RichTextStyle? StyleOf(TextStyle style) => style == TextStyle.None
        ? null
        : new RichTextStyle(
            style.HasFlag(TextStyle.Bold) ? true : null,
            style.HasFlag(TextStyle.Strike) ? true : null,
            style.HasFlag(TextStyle.Code) ? true : null);

    private static string NonEmpty(string text) => string.IsNullOrEmpty(text) ? " " : text;
}

/// <summary>Styles of a rich-text run.</summary>
[Flags]
public enum TextStyle
{
    /// <summary>Plain.</summary>
    None = 0,
    /// <summary>Bold.</summary>
    Bold = 1,
    /// <summary>Struck through.</summary>
    Strike = 2,
    /// <summary>Monospace.</summary>
    Code = 4,
}
