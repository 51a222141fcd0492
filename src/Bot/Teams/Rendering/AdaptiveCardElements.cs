using System.Text.Json;
using System.Text.Json.Nodes;

namespace PscaleBot.Bot.Teams.Rendering;

/// <summary>
/// Builders for the few Adaptive Card 1.5 elements the bot sends. Teams supports cards up to 1.5 only,
/// and Table rendering on mobile is fragile, so cells are plain wrapped TextBlocks and widths are equal.
/// </summary>
internal static class AdaptiveCardElements
{
    public const string Version = "1.5";
    public const string Schema = "http://adaptivecards.io/schemas/adaptive-card.json";

    public static JsonObject Card(string fallbackText, params IEnumerable<JsonNode> body) => new()
    {
        ["type"] = "AdaptiveCard",
        ["$schema"] = Schema,
        ["version"] = Version,
        ["fallbackText"] = fallbackText,
        ["msteams"] = new JsonObject { ["width"] = "Full" },
        ["body"] = new JsonArray([.. body]),
    };

    public static JsonObject Title(string text) => new()
    {
        ["type"] = "TextBlock",
        ["text"] = text,
        ["size"] = "Medium",
        ["weight"] = "Bolder",
        ["wrap"] = true,
        ["style"] = "heading",
    };

    public static JsonObject Subtle(string text) => new()
    {
        ["type"] = "TextBlock",
        ["text"] = text,
        ["isSubtle"] = true,
        ["spacing"] = "None",
        ["wrap"] = true,
    };

    public static JsonObject Text(string text, string? color = null, bool bold = false, bool monospace = false)
    {
        var block = new JsonObject { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true };
        if (color is not null)
        {
            block["color"] = color;
        }

        if (bold)
        {
            block["weight"] = "Bolder";
        }

        if (monospace)
        {
            block["fontType"] = "Monospace";
        }

        return block;
    }

    public static JsonObject Facts(IEnumerable<(string Title, string Value)> facts) => new()
    {
        ["type"] = "FactSet",
        ["facts"] = new JsonArray([.. facts.Select(f => (JsonNode)new JsonObject { ["title"] = f.Title, ["value"] = f.Value })]),
    };

    public static JsonObject Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows) => new()
    {
        ["type"] = "Table",
        ["firstRowAsHeader"] = true,
        ["showGridLines"] = true,
        ["gridStyle"] = "accent",
        ["columns"] = new JsonArray([.. headers.Select(_ => (JsonNode)new JsonObject { ["width"] = 1 })]),
        ["rows"] = new JsonArray([Row(headers, header: true), .. rows.Select(r => (JsonNode)Row(r, header: false))]),
    };

    /// <summary>The card's size as sent (UTF-8 JSON bytes).</summary>
    public static int SizeInBytes(JsonObject card) => JsonSerializer.SerializeToUtf8Bytes(card).Length;

    /// <summary>The serialized size of one data row of <see cref="Table"/>.</summary>
    public static int RowSizeInBytes(IReadOnlyList<string> cells) => JsonSerializer.SerializeToUtf8Bytes(Row(cells, header: false)).Length;

    private static JsonObject Row(IReadOnlyList<string> cells, bool header) => new()
    {
        ["type"] = "TableRow",
        ["cells"] = new JsonArray([.. cells.Select(c => (JsonNode)new JsonObject
        {
            ["type"] = "TableCell",
            ["items"] = new JsonArray(header
                ? new JsonObject { ["type"] = "TextBlock", ["text"] = c, ["weight"] = "Bolder", ["wrap"] = true }
                : new JsonObject { ["type"] = "TextBlock", ["text"] = c, ["wrap"] = true }),
        })]),
    };
}
