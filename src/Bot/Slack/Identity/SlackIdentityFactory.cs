using PscaleBot.Commands.Model;

namespace PscaleBot.Bot.Slack.Identity;

/// <summary>
/// Builds the platform-qualified identity and place the policy matches, from Slack ids only
/// (<c>slack:user:U…</c>, <c>slack:usergroup:S…</c>, <c>slack:channel:C…</c>, <c>direct</c>).
/// </summary>
public static class SlackIdentityFactory
{
    /// <summary>The caller's identity.</summary>
    /// <param name="userId">U… or W… id.</param>
    /// <param name="userName">Handle for messages only.</param>
    /// <param name="groupIds">S… ids of the caller's user groups.</param>
    /// <param name="teamId">The workspace the caller acted in (T…).</param>
    public static ChatIdentity Caller(string userId, string? userName, IEnumerable<string> groupIds, string teamId)
    {
        // The tenant stays the workspace even on an org-wide Grid install: team_id names the workspace the
        // command was typed in, and user ids (U…/W…) are unique across the whole Grid organization anyway.
        return new ChatIdentity(
            ChatPlatform.Slack,
            $"slack:user:{userId}",
            [.. groupIds.Distinct(StringComparer.Ordinal).Select(g => $"slack:usergroup:{g}")],
            string.IsNullOrWhiteSpace(userName) ? userId : userName,
            $"slack:team:{teamId}");
    }

    /// <summary>The place: <c>direct</c> for a 1:1 DM with the bot, else <c>slack:channel:&lt;id&gt;</c> (group DMs included).</summary>
    public static ChatPlace Place(string channelId, string? channelName)
    {
        if (IsDirectMessage(channelId, channelName))
        {
            return new ChatPlace(["direct"], IsDirect: true, "direct message");
        }

        var display = channelName switch
        {
            null or "" or "privategroup" => channelId,
            _ when channelName.StartsWith("mpdm-", StringComparison.Ordinal) => "group DM",
            _ => $"#{channelName}",
        };
        return new ChatPlace([$"slack:channel:{channelId}"], IsDirect: false, display);
    }

    /// <summary>True for a 1:1 DM: D… ids, or Slack's <c>directmessage</c> channel name.</summary>
    public static bool IsDirectMessage(string channelId, string? channelName) =>
        channelId.StartsWith('D') || string.Equals(channelName, "directmessage", StringComparison.Ordinal);
}
