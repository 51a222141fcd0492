using System.Text.Json;
using System.Text.Json.Serialization;
using PscaleBot.Bot.Slack.Api;

namespace PscaleBot.Bot.Slack.Rendering;

/// <summary>
/// Writes and reads a table cell by its <c>type</c> (<c>raw_text</c> or <c>rich_text</c>), exactly as the
/// <c>[JsonPolymorphic]</c> attributes did. Those sent every cell through the reflection-free but generic polymorphic
/// path, which builds a serializer state stack per cell: a table of permissions has hundreds of cells, and this was
/// the largest single allocation of an answer under load (docs/benchmarks.md). A cell's shape is two fixed cases.
/// </summary>
public sealed class TableBlockCellConverter : JsonConverter<TableBlockCell>
{
    private const string RawText = "raw_text";
    private const string RichText = "rich_text";

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, TableBlockCell value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        switch (value)
        {
            case RawTextCell raw:
                writer.WriteString("type", RawText);
                writer.WriteString("text", raw.Text);
                break;
            case RichTextCell rich:
                writer.WriteString("type", RichText);
                writer.WritePropertyName("elements");
                JsonSerializer.Serialize(writer, rich.Elements, SlackJsonContext.Default.IReadOnlyListRichTextSection);
                break;
            default:
                throw new JsonException($"A table cell of type {value.GetType().Name} has no Block Kit form.");
        }

        writer.WriteEndObject();
    }

    /// <inheritdoc />
    public override TableBlockCell Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // Slack does not always send "type" first, so the cell is read whole before it is told apart.
        using var cell = JsonDocument.ParseValue(ref reader);
        var root = cell.RootElement;
        var type = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var t) ? t.GetString() : null;
        return type switch
        {
            RawText when root.TryGetProperty("text", out var text) => new RawTextCell(text.GetString() ?? ""),
            RichText when root.TryGetProperty("elements", out var elements) =>
                new RichTextCell(elements.Deserialize(SlackJsonContext.Default.IReadOnlyListRichTextSection) ?? []),
            _ => throw new JsonException($"A table cell must be raw_text with text or rich_text with elements, not '{type}'."),
        };
    }
}
