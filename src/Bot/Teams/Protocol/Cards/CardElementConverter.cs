using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace PscaleBot.Bot.Teams.Protocol.Cards;

/// <summary>
/// Writes a <see cref="CardElement"/> as its concrete record, whose <c>type</c> property comes first. Cards are only
/// ever written by the bot, never read.
/// </summary>
/// <remarks>
/// System.Text.Json's own polymorphism (<c>[JsonPolymorphic]</c>) wrote the same JSON but allocated about 300 bytes
/// for every element, which made a 40-row table card cost ~40 KB just to serialise. Writing the concrete type's
/// generated metadata directly allocates nothing for a text block.
/// </remarks>
internal sealed class CardElementConverter : JsonConverter<CardElement>
{
    /// <inheritdoc />
    public override CardElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Adaptive Card elements are only written by the bot, never read.");

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, CardElement value, JsonSerializerOptions options)
    {
        switch (value)
        {
            case TextBlock text:
                Write(writer, text, options);
                break;
            case Table table:
                Write(writer, table, options);
                break;
            case FactSet facts:
                Write(writer, facts, options);
                break;
            case Container container:
                Write(writer, container, options);
                break;
            case ColumnSet columns:
                Write(writer, columns, options);
                break;
            case InputText input:
                Write(writer, input, options);
                break;
            case InputChoiceSet choices:
                Write(writer, choices, options);
                break;
            case ActionSet actions:
                Write(writer, actions, options);
                break;
            default:
                throw new NotSupportedException($"No JSON form for the card element {value.GetType().Name}.");
        }
    }

    private static void Write<T>(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T)));
}
