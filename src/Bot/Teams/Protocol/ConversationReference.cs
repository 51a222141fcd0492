namespace PscaleBot.Bot.Teams.Protocol;

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
