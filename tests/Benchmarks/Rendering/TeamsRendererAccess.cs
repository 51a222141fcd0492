using System.Buffers;
using System.Collections;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Results;
using PscaleBot.Commands.Results.Rendering;

namespace PscaleBot.Benchmarks.Rendering;

/// <summary>
/// Calls the bot's internal Teams renderer without reflection on the measured path. <c>TeamsResultRenderer</c> is
/// internal to PscaleBot.Bot and this assembly is not in its InternalsVisibleTo list, so .NET 10's
/// <see cref="UnsafeAccessorAttribute"/> with <see cref="UnsafeAccessorTypeAttribute"/> binds straight to its members;
/// the calls compile to direct calls, so the numbers are the renderer's own.
/// </summary>
public sealed class TeamsRendererAccess
{
    private const string Renderer = "PscaleBot.Bot.Teams.Rendering.TeamsResultRenderer, PscaleBot.Bot";
    private const string Context = "PscaleBot.Bot.Teams.Rendering.TeamsRenderContext, PscaleBot.Bot";
    private const string Message = "PscaleBot.Bot.Teams.Rendering.TeamsMessage, PscaleBot.Bot";
    private const string MessageList = "System.Collections.Generic.IReadOnlyList`1[[" + Message + "]]";
    private const string Card = "PscaleBot.Bot.Teams.Protocol.Cards.AdaptiveCard, PscaleBot.Bot";
    private const string JsonContext = "PscaleBot.Bot.Teams.Protocol.TeamsJsonContext, PscaleBot.Bot";
    private const string CardTypeInfo = "System.Text.Json.Serialization.Metadata.JsonTypeInfo`1[[" + Card + "]], System.Text.Json";

    private readonly object renderer;
    private readonly object context;
    private readonly JsonTypeInfo cardTypeInfo;
    private readonly ArrayBufferWriter<byte> sent = new(64 * 1024);
    private readonly Utf8JsonWriter sentWriter;

    /// <summary>A renderer as the bot registers it (cards, not plain text) for a requester named <paramref name="requesterName"/>.</summary>
    public TeamsRendererAccess(ITextResultRenderer textRenderer, string requesterName)
    {
        renderer = NewRenderer(textRenderer, plainText: false, timeProvider: null);
        context = NewContext(requesterName);
        cardTypeInfo = (JsonTypeInfo)CardTypeInfoOf(DefaultJsonContext(null));
        sentWriter = new Utf8JsonWriter(sent, new JsonWriterOptions { Encoder = cardTypeInfo.Options.Encoder, SkipValidation = true });
    }

    /// <summary>
    /// Renders <paramref name="results"/> and writes every card as UTF-8 JSON into one reused buffer, as the Bot Connector
    /// client streams it into the request (no JSON string); returns the bytes written (text messages: their characters).
    /// </summary>
    public int RenderToUtf8(IReadOnlyList<CommandResult> results, OutputFormat format)
    {
        var total = 0;
        foreach (var message in (IEnumerable)Render(renderer, results, format, context))
        {
            if (CardOf(message) is { } card)
            {
                sent.ResetWrittenCount();
                sentWriter.Reset(sent);
                JsonSerializer.Serialize(sentWriter, card, cardTypeInfo);
                sentWriter.Flush();
                total += sent.WrittenCount;
            }
            else
            {
                total += TextOf(message)?.Length ?? 0;
            }
        }

        return total;
    }

    /// <summary>Renders <paramref name="results"/> and serialises every message (card JSON or text); returns the characters produced.</summary>
    public int RenderToWire(IReadOnlyList<CommandResult> results, OutputFormat format)
    {
        var total = 0;
        foreach (var message in (IEnumerable)Render(renderer, results, format, context))
        {
            total += CardOf(message) is { } card ? JsonSerializer.Serialize(card, cardTypeInfo).Length : TextOf(message)?.Length ?? 0;
        }

        return total;
    }

    /// <summary>How many messages (cards or texts) <paramref name="results"/> become.</summary>
    public int MessageCount(IReadOnlyList<CommandResult> results, OutputFormat format) =>
        ((IEnumerable)Render(renderer, results, format, context)).Cast<object>().Count();

    [UnsafeAccessor(UnsafeAccessorKind.Constructor)]
    [return: UnsafeAccessorType(Renderer)]
    private static extern object NewRenderer(ITextResultRenderer? textRenderer, bool plainText, TimeProvider? timeProvider);

    [UnsafeAccessor(UnsafeAccessorKind.Constructor)]
    [return: UnsafeAccessorType(Context)]
    private static extern object NewContext(string requesterName);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "Render")]
    [return: UnsafeAccessorType(MessageList)]
    private static extern object Render(
        [UnsafeAccessorType(Renderer)] object renderer,
        IReadOnlyList<CommandResult> results,
        OutputFormat format,
        [UnsafeAccessorType(Context)] object context);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_Card")]
    [return: UnsafeAccessorType(Card)]
    private static extern object? CardOf([UnsafeAccessorType(Message)] object message);

    /// <summary>The bot's source-generated Teams JSON context (<c>TeamsJsonContext.Default</c>): cards serialise exactly as sent.</summary>
    [UnsafeAccessor(UnsafeAccessorKind.StaticMethod, Name = "get_Default")]
    [return: UnsafeAccessorType(JsonContext)]
    private static extern object DefaultJsonContext([UnsafeAccessorType(JsonContext)] object? type);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_AdaptiveCard")]
    [return: UnsafeAccessorType(CardTypeInfo)]
    private static extern object CardTypeInfoOf([UnsafeAccessorType(JsonContext)] object context);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_Text")]
    private static extern string? TextOf([UnsafeAccessorType(Message)] object message);
}
