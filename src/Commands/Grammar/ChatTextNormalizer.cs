using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PscaleBot.Commands.Grammar;

/// <summary>
/// Undoes what chat clients do to a typed line before the grammar sees it: Slack link and mention
/// markup, HTML entities, code backticks, a leading bot mention, invisible formatting characters and
/// exotic spaces.
/// </summary>
internal static partial class ChatTextNormalizer
{
    // Slack wraps links, mentions and channel references in <…>; literal angle brackets arrive as
    // &lt; &gt;, so every <…> in Slack text is markup. Text from other surfaces may hold a literal
    // placeholder like <TOKEN_ID>, so only Slack's shapes are rewritten.
    [GeneratedRegex(@"<(?<body>(?:https?://|mailto:|tel:|[@#!])[^<>]*)>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SlackMarkup();

    [GeneratedRegex(@"<(?<body>[^<>|\s]+\|[^<>]*)>", RegexOptions.CultureInvariant)]
    private static partial Regex SlackLabelledMarkup();

    [GeneratedRegex(@"^\s*(?:<@[^<>]*>|<at>[^<]*</at>)\s*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LeadingMention();

    [GeneratedRegex(@"&(?:amp|lt|gt|quot|apos|nbsp|#39|#x27|#34);", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Entity();

    /// <summary>Returns the line as the person meant to type it.</summary>
    public static string Normalize(string text)
    {
        var cleaned = CleanCharacters(text);

        // A mention of the bot (Slack app_mention, Teams <at>) may still lead the text.
        while (true)
        {
            var next = LeadingMention().Replace(cleaned, string.Empty, 1);
            if (next.Length == cleaned.Length)
            {
                break;
            }

            cleaned = next;
        }

        cleaned = SlackLabelledMarkup().Replace(cleaned, m => RewriteMarkup(m.Groups["body"].Value));
        cleaned = SlackMarkup().Replace(cleaned, m => RewriteMarkup(m.Groups["body"].Value));

        // One pass, so "&amp;lt;" becomes "&lt;" (what the person typed), not "<".
        cleaned = Entity().Replace(cleaned, m => m.Value.ToLowerInvariant() switch
        {
            "&amp;" => "&",
            "&lt;" => "<",
            "&gt;" => ">",
            "&quot;" or "&#34;" => "\"",
            "&apos;" or "&#39;" or "&#x27;" => "'",
            _ => " ",
        });

        // People paste CLI lines as inline code or code blocks; backticks never mean anything here.
        return cleaned.Replace("`", string.Empty, StringComparison.Ordinal).Trim();
    }

    private static string RewriteMarkup(string body)
    {
        var bar = body.IndexOf('|', StringComparison.Ordinal);
        var target = bar >= 0 ? body[..bar] : body;
        var label = bar >= 0 ? body[(bar + 1)..] : null;

        if (target.StartsWith('@'))
        {
            // <@U123> or <@U123|bob>
            return "@" + (string.IsNullOrEmpty(label) ? target[1..] : label.TrimStart('@'));
        }

        if (target.StartsWith('#'))
        {
            return "#" + (string.IsNullOrEmpty(label) ? target[1..] : label.TrimStart('#'));
        }

        if (target.StartsWith('!'))
        {
            // <!here>, <!subteam^S123|@team>
            return string.IsNullOrEmpty(label) ? "@" + target[1..] : label;
        }

        return string.IsNullOrEmpty(label) ? target : label;
    }

    private static string CleanCharacters(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                builder.Append(' ');
                continue;
            }

            // Zero-width spaces, direction marks and soft hyphens are invisible in chat but would
            // split or glue words here.
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                continue;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
