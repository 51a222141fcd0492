using PscaleBot.Bot.Teams.Protocol.Cards;

namespace PscaleBot.Bot.Teams.Protocol;

/// <summary>An activity the bot sends to the Bot Connector (or answers an outgoing webhook with).</summary>
internal sealed record OutgoingActivity
{
    public string Type { get; init; } = "message";
    public string? Id { get; init; }
    public string? Text { get; init; }
    public string? TextFormat { get; init; }
    public IReadOnlyList<Attachment>? Attachments { get; init; }
    public ChannelAccount? From { get; init; }
    public ChannelAccount? Recipient { get; init; }
    public ConversationAccount? Conversation { get; init; }
    public string? ReplyToId { get; init; }

    public static OutgoingActivity Typing { get; } = new() { Type = "typing" };
}

/// <summary>A message attachment; the bot only sends Adaptive Cards.</summary>
internal sealed record Attachment(string ContentType, AdaptiveCard Content)
{
    public const string AdaptiveCardContentType = "application/vnd.microsoft.card.adaptive";

    public static Attachment Card(AdaptiveCard card) => new(AdaptiveCardContentType, card);
}

/// <summary>The body of an invoke response: <c>{statusCode, type, value}</c>, value being a card, a text or an error.</summary>
internal sealed record InvokeResponseBody<T>(int StatusCode, string Type, T Value);

/// <summary>The value of an error invoke response.</summary>
internal sealed record InvokeError(string Code, string Message);

/// <summary><c>POST v3/conversations</c>: opens a conversation (the bot's 1:1 chat with a member).</summary>
internal sealed record CreateConversationRequest(
    bool IsGroup,
    ChannelAccount Bot,
    IReadOnlyList<ChannelAccount> Members,
    string? TenantId,
    TeamsChannelData ChannelData);

/// <summary>What the connector answers to a send or a create: <c>{id}</c> (absent on some Playground answers).</summary>
internal sealed record ResourceResponse(string? Id);

/// <summary>
/// The answer to a <c>task/fetch</c> or <c>task/submit</c> invoke: <c>{task:{type, value}}</c>. <c>continue</c> shows
/// (or keeps showing) a card in the dialog; <c>message</c> closes it with a short text.
/// </summary>
internal sealed record TaskModuleResponse<T>(TaskModuleResponseBody<T> Task);

/// <summary>The <c>task</c> object of a <see cref="TaskModuleResponse{T}"/>.</summary>
internal sealed record TaskModuleResponseBody<T>(string Type, T Value);

/// <summary>What a <c>continue</c> answer shows: a titled dialog holding one Adaptive Card.</summary>
internal sealed record TaskModuleCard(string Title, Attachment Card)
{
    public string Height { get; init; } = "large";
    public string Width { get; init; } = "medium";
}
