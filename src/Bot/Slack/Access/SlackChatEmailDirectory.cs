using PscaleBot.Bot.Slack.Api;
using PscaleBot.Commands.Access.OnCall;
using PscaleBot.Commands.Model;

namespace PscaleBot.Bot.Slack.Access;

/// <summary>
/// A Slack user's email from <c>users.info</c> (<c>profile.email</c>, which needs the <c>users:read.email</c> scope),
/// to match requesters to PagerDuty and Opsgenie users.
/// </summary>
public sealed class SlackChatEmailDirectory(SlackApiClient slack) : IChatEmailDirectory
{
    private const string UserPrefix = "slack:user:";

    /// <inheritdoc />
    public ChatPlatform Platform => ChatPlatform.Slack;

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> FindEmailsAsync(ChatIdentity who, CancellationToken cancellationToken)
    {
        if (!who.UserId.StartsWith(UserPrefix, StringComparison.Ordinal))
        {
            return [];
        }

        var user = await slack.GetUserAsync(who.UserId[UserPrefix.Length..], cancellationToken);
        // A deactivated account or a bot is never on call, whatever its profile says.
        return user.Deleted || user.IsBot || user.Profile?.Email is not { Length: > 0 } email ? [] : [email];
    }
}
