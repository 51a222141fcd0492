using PscaleBot.Bot.Teams.Protocol;
using PscaleBot.Commands.Model;

namespace PscaleBot.Bot.Teams.Inbound;

/// <summary>
/// Maps an authenticated activity to the core's identity and place. Authorisation keys are the Entra
/// object id, the tenant and the Teams channel/team/chat ids, never display names.
/// </summary>
internal static class TeamsChatContext
{
    public static bool TryCreate(Activity activity, out ChatIdentity caller, out ChatPlace place)
    {
        caller = null!;
        place = null!;
        var aadObjectId = activity.From?.AadObjectId;
        var tenant = activity.TenantId;
        var conversationId = activity.Conversation?.Id;
        if (string.IsNullOrWhiteSpace(aadObjectId) || string.IsNullOrWhiteSpace(tenant) || string.IsNullOrWhiteSpace(conversationId))
        {
            return false;
        }

        caller = new ChatIdentity(ChatPlatform.Teams, $"teams:user:{aadObjectId.Trim().ToLowerInvariant()}", [],
            activity.From?.Name ?? "Teams user", $"teams:tenant:{tenant.Trim().ToLowerInvariant()}");

        var type = activity.Conversation?.ConversationType;
        if (string.Equals(type, "personal", StringComparison.OrdinalIgnoreCase))
        {
            place = new ChatPlace(["direct"], IsDirect: true, "a 1:1 chat with the bot");
            return true;
        }

        if (string.Equals(type, "channel", StringComparison.OrdinalIgnoreCase))
        {
            // A thread's conversation id is "<channel id>;messageid=<root>"; the policy keys the channel.
            var channelId = activity.ChannelData?.Channel?.Id ?? conversationId.Split(';')[0];
            var teamId = activity.ChannelData?.Team?.Id;
            List<string> ids = [$"teams:channel:{channelId}"];
            if (!string.IsNullOrWhiteSpace(teamId))
            {
                ids.Add($"teams:team:{teamId}");
            }

            place = new ChatPlace(ids, IsDirect: false, activity.ChannelData?.Channel?.Name is { Length: > 0 } name ? name : "a Teams channel");
            return true;
        }

        if (string.Equals(type, "groupChat", StringComparison.OrdinalIgnoreCase))
        {
            place = new ChatPlace([$"teams:chat:{conversationId}"], IsDirect: false, activity.Conversation?.Name is { Length: > 0 } chat ? chat : "a group chat");
            return true;
        }

        // Unknown conversation types get no place, so nothing runs there.
        return false;
    }
}
