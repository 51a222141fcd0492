using System.Text;
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
    public static string Truncate(string text, int max) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

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

/// <summary>Slack mrkdwn text helpers.</summary>
public static class Mrkdwn
{
    /// <summary>Escapes the three characters Slack gives meaning to in text: <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c>.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }

    /// <summary>Inline code of untrusted text (escaped; backticks replaced so the span cannot be closed early).</summary>
    public static string Code(string? text) => $"`{Escape(text).Replace('`', '\'')}`";

    /// <summary>Bold of untrusted text.</summary>
    public static string Bold(string? text) => $"*{Escape(text).Replace('*', '∗')}*";

    /// <summary>Text safe to put between code fences (escaped, no fence can be closed from inside).</summary>
    public static string CodeBlockContent(string text) => Escape(text).Replace("```", "'''");

    /// <summary>A user mention for a Slack user id (U…/W…); falls back to the escaped text for anything else.</summary>
    public static string UserMention(string? slackUserId) =>
        slackUserId is { Length: > 1 } id && (id[0] is 'U' or 'W') && id.All(char.IsAsciiLetterOrDigit) ? $"<@{id}>" : Escape(slackUserId);

    /// <summary>A date Slack shows in each reader's time zone, with a UTC fallback.</summary>
    public static string Date(DateTimeOffset at) =>
        $"<!date^{at.ToUnixTimeSeconds()}^{{date_short_pretty}} {{time}}|{at.UtcDateTime:yyyy-MM-dd HH:mm} UTC>";
}

/// <summary>Slack's limits on messages and blocks, and a checker for generated JSON.</summary>
public static class SlackMessageLimits
{
    /// <summary>Blocks per message.</summary>
    public const int MaxBlocks = 50;
    /// <summary>Section text.</summary>
    public const int MaxSectionText = 3000;
    /// <summary>Section fields.</summary>
    public const int MaxSectionFields = 10;
    /// <summary>One section field.</summary>
    public const int MaxFieldText = 2000;
    /// <summary>Header text.</summary>
    public const int MaxHeaderText = 150;
    /// <summary>Context elements.</summary>
    public const int MaxContextElements = 10;
    /// <summary>Table rows, header included.</summary>
    public const int MaxTableRows = 100;
    /// <summary>Cells per table row.</summary>
    public const int MaxTableCells = 20;
    /// <summary>Tables per message.</summary>
    public const int MaxTablesPerMessage = 1;
    /// <summary>Characters across a table's cells (Slack documents about 10,000; stay below).</summary>
    public const int MaxTableText = 9000;
    /// <summary>Characters across all blocks of a message (Slack rejects ~13k; markdown blocks cap at 12k; stay below).</summary>
    public const int MaxBlockText = 11_000;
    /// <summary>Top-level fallback text (Slack recommends at most 4000).</summary>
    public const int MaxFallbackText = 3000;

    /// <summary>Every limit <paramref name="message"/> breaks, worded; empty when it is valid.</summary>
    public static IReadOnlyList<string> Violations(SlackMessage message)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(message.Text))
        {
            problems.Add("missing top-level text fallback");
        }
        else if (message.Text.Length > MaxFallbackText)
        {
            problems.Add($"fallback text has {message.Text.Length} characters");
        }

        if (message.Blocks.Count > MaxBlocks)
        {
            problems.Add($"{message.Blocks.Count} blocks");
        }

        var total = BlockKit.TextLength(message.Blocks);
        if (total > MaxBlockText)
        {
            problems.Add($"{total} characters of block text");
        }

        var tables = 0;
        foreach (var block in message.Blocks.OfType<JsonObject>())
        {
            var type = (string?)block["type"];
            switch (type)
            {
                case "header":
                    CheckText(block["text"], MaxHeaderText, "header", problems);
                    break;
                case "section":
                    if (block["text"] is { } text)
                    {
                        CheckText(text, MaxSectionText, "section", problems);
                    }

                    if (block["fields"] is JsonArray fields)
                    {
                        if (fields.Count > MaxSectionFields)
                        {
                            problems.Add($"section with {fields.Count} fields");
                        }

                        foreach (var field in fields)
                        {
                            CheckText(field, MaxFieldText, "field", problems);
                        }
                    }

                    break;
                case "context":
                    var elements = block["elements"] as JsonArray ?? [];
                    if (elements.Count is 0 or > MaxContextElements)
                    {
                        problems.Add($"context with {elements.Count} elements");
                    }

                    foreach (var element in elements)
                    {
                        CheckText(element, MaxSectionText, "context element", problems);
                    }

                    break;
                case "table":
                    tables++;
                    var rows = block["rows"] as JsonArray ?? [];
                    if (rows.Count is 0 or > MaxTableRows)
                    {
                        problems.Add($"table with {rows.Count} rows");
                    }

                    if (rows.OfType<JsonArray>().Any(r => r.Count is 0 or > MaxTableCells))
                    {
                        problems.Add("table row with too many or no cells");
                    }

                    if (rows.OfType<JsonArray>().Select(r => r.Count).Distinct().Count() > 1)
                    {
                        problems.Add("table rows of different widths");
                    }

                    var tableText = BlockKit.TextLength(rows);
                    if (tableText > MaxTableText)
                    {
                        problems.Add($"table with {tableText} characters");
                    }

                    break;
                case "divider":
                    break;
                default:
                    problems.Add($"unexpected block type {type}");
                    break;
            }
        }

        if (tables > MaxTablesPerMessage)
        {
            problems.Add($"{tables} tables in one message");
        }

        return problems;
    }

    private static void CheckText(JsonNode? textObject, int max, string what, List<string> problems)
    {
        var text = (string?)textObject?["text"];
        if (string.IsNullOrEmpty(text))
        {
            problems.Add($"empty {what} text");
        }
        else if (text.Length > max)
        {
            problems.Add($"{what} text of {text.Length} characters (max {max})");
        }
    }
}
