using PscaleBot.Commands.Access;
using PscaleBot.Commands.Model;

namespace PscaleBot.Commands.Stale;

/// <summary>Reads a configured digest channel (<c>slack:channel:C…</c>, <c>teams:channel:19:…</c>) into an audience.</summary>
public static class StaleDigestChannels
{
    /// <summary>The audience of <paramref name="channel"/>, or false when it is not a qualified Slack or Teams channel id.</summary>
    public static bool TryParse(string? channel, out AccessAudience audience)
    {
        audience = null!;
        if (string.IsNullOrWhiteSpace(channel))
        {
            return false;
        }

        var trimmed = channel.Trim();
        ChatPlatform? platform = trimmed.StartsWith("slack:channel:", StringComparison.Ordinal) && trimmed.Length > "slack:channel:".Length ? ChatPlatform.Slack
            : trimmed.StartsWith("teams:channel:", StringComparison.Ordinal) && trimmed.Length > "teams:channel:".Length ? ChatPlatform.Teams
            : null;
        if (platform is not { } known)
        {
            return false;
        }

        audience = AccessAudience.Channel(known, trimmed);
        return true;
    }
}
