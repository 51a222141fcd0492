using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using PscaleBot.Bot.Teams.Protocol.Cards;

namespace PscaleBot.Bot.Teams.Protocol;

/// <summary>
/// The Bot Framework wire format (camelCase, case-insensitive on read, nulls omitted), generated at build
/// time: every Teams activity, card and connector body is read and written through this context.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(Activity))]
[JsonSerializable(typeof(OutgoingActivity))]
[JsonSerializable(typeof(AdaptiveCard))]
[JsonSerializable(typeof(TableRow))]
[JsonSerializable(typeof(TextBlock))]
[JsonSerializable(typeof(Table))]
[JsonSerializable(typeof(FactSet))]
[JsonSerializable(typeof(Container))]
[JsonSerializable(typeof(ColumnSet))]
[JsonSerializable(typeof(InputText))]
[JsonSerializable(typeof(InputChoiceSet))]
[JsonSerializable(typeof(ActionSet))]
[JsonSerializable(typeof(TaskModuleResponse<TaskModuleCard>), TypeInfoPropertyName = "TaskCardResponse")]
[JsonSerializable(typeof(TaskModuleResponse<string>), TypeInfoPropertyName = "TaskMessageResponse")]
[JsonSerializable(typeof(CreateConversationRequest))]
[JsonSerializable(typeof(ResourceResponse))]
[JsonSerializable(typeof(TeamsChannelAccount))]
[JsonSerializable(typeof(ConversationReference))]
[JsonSerializable(typeof(InvokeResponseBody<AdaptiveCard>), TypeInfoPropertyName = "CardInvokeResponse")]
[JsonSerializable(typeof(InvokeResponseBody<string>), TypeInfoPropertyName = "MessageInvokeResponse")]
[JsonSerializable(typeof(InvokeResponseBody<InvokeError>), TypeInfoPropertyName = "ErrorInvokeResponse")]
internal sealed partial class TeamsJsonContext : JsonSerializerContext;

/// <summary>Sizes of what the bot sends, measured exactly as <see cref="TeamsJsonContext"/> writes it.</summary>
internal static class TeamsJson
{
    // One counter and writer per thread: sizing runs once per table row while paging, so it must not allocate.
    [ThreadStatic]
    private static ByteCounter? counter;

    [ThreadStatic]
    private static Utf8JsonWriter? writer;

    /// <summary>The UTF-8 JSON size of <paramref name="value"/>, counted without keeping the bytes.</summary>
    public static int SizeInBytes<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        counter ??= new ByteCounter();
        counter.Count = 0;
        if (writer is null)
        {
            writer = new Utf8JsonWriter(counter, new JsonWriterOptions { Encoder = typeInfo.Options.Encoder, SkipValidation = true });
        }
        else
        {
            writer.Reset(counter);
        }

        JsonSerializer.Serialize(writer, value, typeInfo);
        writer.Flush();
        return counter.Count;
    }

    /// <summary>The bytes <paramref name="text"/> takes inside a JSON string (quotes excluded), escaped as the context escapes it.</summary>
    public static int StringContentBytes(string text) =>
        SizeInBytes(text, TeamsJsonContext.Default.String) - 2;

    /// <summary>An <see cref="IBufferWriter{T}"/> that counts the bytes written into one reused scratch buffer.</summary>
    private sealed class ByteCounter : IBufferWriter<byte>
    {
        private byte[] scratch = new byte[4096];

        public int Count { get; set; }

        public void Advance(int count) => Count += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => Scratch(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => Scratch(sizeHint);

        private byte[] Scratch(int sizeHint)
        {
            if (sizeHint > scratch.Length)
            {
                scratch = new byte[sizeHint];
            }

            return scratch;
        }
    }
}
