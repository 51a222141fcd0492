using System.Net;
using System.Text.RegularExpressions;
using PscaleBot.Bot.Teams.Protocol;

namespace PscaleBot.Bot.Teams.Inbound;

/// <summary>
/// Turns Teams message text into the command line: removes the bot's own @mention (by the mention entity,
/// matched on the bot's id with or without the <c>28:</c> prefix, and a leading <c>&lt;at&gt;…&lt;/at&gt;</c> as a
/// fallback), keeps other people's mentions as plain names, decodes HTML entities and collapses whitespace.
/// </summary>
internal static partial class BotMentionText
{
    public static string Extract(Activity activity)
    {
        var text = activity.Text ?? string.Empty;
        var botId = activity.Recipient?.Id;
        foreach (var entity in activity.Entities ?? [])
        {
            if (!string.Equals(entity.Type, "mention", StringComparison.OrdinalIgnoreCase) || !IsBot(entity.Mentioned?.Id, botId))
            {
                continue;
            }

            var mentionText = entity.Text ?? (entity.Mentioned?.Name is { } name ? $"<at>{name}</at>" : null);
            if (!string.IsNullOrEmpty(mentionText))
            {
                text = text.Replace(mentionText, " ", StringComparison.OrdinalIgnoreCase);
            }
        }

        // Entities can be missing (outgoing webhooks, some clients): a leading mention is always the bot's.
        text = LeadingMention().Replace(text, " ");

        // Other mentions stay as the plain name so arguments keep their meaning.
        text = AnyMention().Replace(text, m => m.Groups["name"].Value);
        text = Tags().Replace(text, " ");
        text = WebUtility.HtmlDecode(text).Replace('\u00A0', ' ');
        return Whitespace().Replace(text, " ").Trim();
    }

    internal static bool IsBot(string? mentionedId, string? botId)
    {
        if (string.IsNullOrEmpty(mentionedId) || string.IsNullOrEmpty(botId))
        {
            return false;
        }

        return string.Equals(StripPrefix(mentionedId), StripPrefix(botId), StringComparison.OrdinalIgnoreCase);
    }

    private static string StripPrefix(string id) => id.StartsWith("28:", StringComparison.Ordinal) ? id[3..] : id;

    [GeneratedRegex(@"^\s*<at(\s[^>]*)?>[^<]*</at>", RegexOptions.IgnoreCase)]
    private static partial Regex LeadingMention();

    [GeneratedRegex(@"<at(\s[^>]*)?>(?<name>[^<]*)</at>", RegexOptions.IgnoreCase)]
    private static partial Regex AnyMention();

    [GeneratedRegex(@"</?(p|div|span|br)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
