using PscaleBot.Commands.Text;
using System.Text.Json.Nodes;

namespace PscaleBot.Bot.Slack.Rendering;

/// <summary>A message ready for Slack: the fallback text and its blocks.</summary>
/// <param name="Text">Top-level <c>text</c>: notifications and screen readers use it.</param>
/// <param name="Blocks">The Block Kit blocks.</param>
public sealed record SlackMessage(string Text, JsonArray Blocks)
{
    /// <summary>A message of one mrkdwn section.</summary>
    public static SlackMessage Plain(string escapedMrkdwn) =>
        new(BlockKit.Truncate(escapedMrkdwn, SlackMessageLimits.MaxFallbackText), [BlockKit.Section(escapedMrkdwn)]);
}

/// <summary>Block Kit JSON builders; each keeps its own field within Slack's limits.</summary>
public static class BlockKit
{
    /// <summary>A <c>header</c> block (plain text, at most 150 characters).</summary>
    public static JsonObject Header(string plainText) => new()
    {
        ["type"] = "header",
        ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Truncate(NonEmpty(plainText), SlackMessageLimits.MaxHeaderText), ["emoji"] = true },
    };

    /// <summary>A <c>section</c> with mrkdwn text (already escaped), at most 3000 characters.</summary>
    public static JsonObject Section(string mrkdwn) => new()
    {
        ["type"] = "section",
        ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = Truncate(NonEmpty(mrkdwn), SlackMessageLimits.MaxSectionText) },
    };

    /// <summary>A <c>section</c> of two-column fields (at most 10, each at most 2000 characters).</summary>
    public static JsonObject Fields(IEnumerable<string> mrkdwnFields)
    {
        var fields = new JsonArray();
        foreach (var field in mrkdwnFields.Take(SlackMessageLimits.MaxSectionFields))
        {
            fields.Add(new JsonObject { ["type"] = "mrkdwn", ["text"] = Truncate(NonEmpty(field), SlackMessageLimits.MaxFieldText) });
        }

        return new JsonObject { ["type"] = "section", ["fields"] = fields };
    }

    /// <summary>A <c>context</c> line of mrkdwn elements (at most 10).</summary>
    public static JsonObject Context(params string[] mrkdwn)
    {
        var elements = new JsonArray();
        foreach (var element in mrkdwn.Take(SlackMessageLimits.MaxContextElements))
        {
            elements.Add(new JsonObject { ["type"] = "mrkdwn", ["text"] = Truncate(NonEmpty(element), SlackMessageLimits.MaxSectionText) });
        }

        return new JsonObject { ["type"] = "context", ["elements"] = elements };
    }

    /// <summary>An <c>actions</c> block of buttons (at most 25), under a <c>block_id</c> unique to the message revision.</summary>
    public static JsonObject Actions(string blockId, IEnumerable<JsonObject> elements) => new()
    {
        ["type"] = "actions",
        ["block_id"] = Truncate(blockId, SlackMessageLimits.MaxBlockId),
        ["elements"] = new JsonArray([.. elements.Take(SlackMessageLimits.MaxActionElements)]),
    };

    /// <summary>A button; <paramref name="style"/> is <c>primary</c>, <c>danger</c> or null.</summary>
    public static JsonObject Button(string actionId, string label, string value, string? style = null)
    {
        var button = new JsonObject
        {
            ["type"] = "button",
            ["action_id"] = actionId,
            ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Truncate(NonEmpty(label), SlackMessageLimits.MaxButtonText), ["emoji"] = true },
            ["value"] = Truncate(value, SlackMessageLimits.MaxButtonValue),
        };
        if (style is not null)
        {
            button["style"] = style;
        }

        return button;
    }

    /// <summary>A <c>divider</c>.</summary>
    public static JsonObject Divider() => new() { ["type"] = "divider" };

    /// <summary>A <c>table</c> block; the first row is the header. Callers keep within 100 rows and 20 cells.</summary>
    public static JsonObject Table(IEnumerable<JsonArray> rows, IEnumerable<JsonObject>? columnSettings = null)
    {
        var table = new JsonObject { ["type"] = "table" };
        if (columnSettings is not null)
        {
            table["column_settings"] = new JsonArray([.. columnSettings]);
        }

        table["rows"] = new JsonArray([.. rows]);
        return table;
    }

    /// <summary>A plain table cell (not mrkdwn: shown as typed, so no escaping).</summary>
    public static JsonObject RawCell(string text) => new() { ["type"] = "raw_text", ["text"] = NonEmpty(text) };

    /// <summary>A rich-text table cell made of styled runs.</summary>
    public static JsonObject RichCell(IEnumerable<(string Text, TextStyle Style)> runs)
    {
        var elements = new JsonArray();
        foreach (var (text, style) in runs)
        {
            var element = new JsonObject { ["type"] = "text", ["text"] = text };
            if (style != TextStyle.None)
            {
                var styleJson = new JsonObject();
                if (style.HasFlag(TextStyle.Bold))
                {
                    styleJson["bold"] = true;
                }

                if (style.HasFlag(TextStyle.Strike))
                {
                    styleJson["strike"] = true;
                }

                if (style.HasFlag(TextStyle.Code))
                {
                    styleJson["code"] = true;
                }

                element["style"] = styleJson;
            }

            elements.Add(element);
        }

        if (elements.Count == 0)
        {
            elements.Add(new JsonObject { ["type"] = "text", ["text"] = "—" });
        }

        return new JsonObject
        {
            ["type"] = "rich_text",
            ["elements"] = new JsonArray(new JsonObject { ["type"] = "rich_text_section", ["elements"] = elements }),
        };
    }

    /// <summary>Cuts <paramref name="text"/> to <paramref name="max"/> characters, marking the cut.</summary>
    public static string Truncate(string text, int max) => TextCut.Truncate(text, max);

    /// <summary>
    /// Sum of every <c>text</c> string in a block tree: what Slack counts against its undocumented
    /// ~12–13k characters per message (<c>msg_blocks_too_long</c>).
    /// </summary>
    public static int TextLength(JsonNode? node) => node switch
    {
        JsonObject obj => obj.Sum(p => p.Key == "text" && p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s.Length : TextLength(p.Value)),
        JsonArray array => array.Sum(TextLength),
        _ => 0,
    };

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
