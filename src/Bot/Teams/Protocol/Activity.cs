using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PscaleBot.Bot.Teams.Protocol;

/// <summary>
/// The parts of a Bot Framework Activity the bot reads (field names per the Bot Framework Activity spec).
/// Unknown fields are ignored; nothing here is trusted before the request is authenticated.
/// </summary>
internal sealed record Activity
{
    public string? Type { get; init; }
    public string? Id { get; init; }
    public string? Timestamp { get; init; }
    public string? ServiceUrl { get; init; }
    public string? ChannelId { get; init; }
    public ChannelAccount? From { get; init; }
    public ChannelAccount? Recipient { get; init; }
    public ConversationAccount? Conversation { get; init; }
    public string? Text { get; init; }
    public string? TextFormat { get; init; }
    public List<Entity>? Entities { get; init; }
    public TeamsChannelData? ChannelData { get; init; }
    public string? ReplyToId { get; init; }
    public JsonElement? Value { get; init; }
    public string? Name { get; init; }
    public string? Action { get; init; }
    public List<ChannelAccount>? MembersAdded { get; init; }
    public string? Locale { get; init; }

    /// <summary>The tenant the activity comes from: <c>channelData.tenant.id</c>, else <c>conversation.tenantId</c>.</summary>
    public string? TenantId => ChannelData?.Tenant?.Id ?? Conversation?.TenantId;
}

internal sealed record ChannelAccount
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? AadObjectId { get; init; }
}

internal sealed record ConversationAccount
{
    public string? Id { get; init; }
    public string? ConversationType { get; init; }
    public string? TenantId { get; init; }
    public bool? IsGroup { get; init; }
    public string? Name { get; init; }
}

internal sealed record Entity
{
    public string? Type { get; init; }
    public ChannelAccount? Mentioned { get; init; }
    public string? Text { get; init; }
}

internal sealed record TeamsChannelData
{
    public IdAndName? Team { get; init; }
    public IdAndName? Channel { get; init; }
    public IdAndName? Tenant { get; init; }
    public string? EventType { get; init; }
}

internal sealed record IdAndName
{
    public string? Id { get; init; }
    public string? Name { get; init; }
}

/// <summary>An activity the bot sends to the Bot Connector.</summary>
internal sealed record OutgoingActivity
{
    public string Type { get; init; } = "message";
    public string? Id { get; init; }
    public string? Text { get; init; }
    public string? TextFormat { get; init; }
    public List<Attachment>? Attachments { get; init; }
    public object? From { get; init; }
    public object? Recipient { get; init; }
    public object? Conversation { get; init; }
    public string? ReplyToId { get; init; }

    public static OutgoingActivity Typing { get; } = new() { Type = "typing" };
}

/// <summary>A message attachment; the bot only sends Adaptive Cards.</summary>
internal sealed record Attachment(string ContentType, JsonObject Content)
{
    public const string AdaptiveCardContentType = "application/vnd.microsoft.card.adaptive";
}

/// <summary>JSON settings of the Bot Framework wire format (camelCase, nulls omitted).</summary>
internal static class TeamsJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

/// <summary>
/// What is needed to talk back into a conversation: where (service URL, conversation), to which
/// message, as whom, and to whom.
/// </summary>
internal sealed record ConversationReference(
    string ServiceUrl,
    string ConversationId,
    string? ConversationType,
    string? ActivityId,
    ChannelAccount Bot,
    ChannelAccount User,
    string? TenantId)
{
    public bool IsPersonal => string.Equals(ConversationType, "personal", StringComparison.OrdinalIgnoreCase);

    public static ConversationReference? From(Activity activity)
    {
        if (string.IsNullOrWhiteSpace(activity.ServiceUrl) || string.IsNullOrWhiteSpace(activity.Conversation?.Id)
            || activity.Recipient is null || activity.From is null)
        {
            return null;
        }

        return new ConversationReference(activity.ServiceUrl, activity.Conversation.Id, activity.Conversation.ConversationType,
            activity.Id, activity.Recipient, activity.From, activity.TenantId);
    }
}
