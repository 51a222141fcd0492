using System.Text.RegularExpressions;

namespace PscaleBot.Bot.Slack.Commands;

/// <summary>
/// Turns slash command text as Slack sends it into what the person typed: Slack wraps links, mentions and
/// channel references in <c>&lt;…&gt;</c> and escapes a literal <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c>. This is
/// the only place Slack text is decoded; the core receives plain text.
/// </summary>
internal static partial class SlackCommandText
{
    // Literal angle brackets arrive as &lt; &gt;, so every <…> in Slack text is markup. Only Slack's
    // shapes are rewritten all the same, so a stray <TOKEN_ID> from a client that does not escape survives.
    [GeneratedRegex(@"<(?<body>(?:https?://|mailto:|tel:|[@#!])[^<>]*)>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Markup();

    [GeneratedRegex(@"<(?<body>[^<>|\s]+\|[^<>]*)>", RegexOptions.CultureInvariant)]
    private static partial Regex LabelledMarkup();

    [GeneratedRegex(@"^\s*<@[^<>]*>\s*", RegexOptions.CultureInvariant)]
    private static partial Regex LeadingMention();

    [GeneratedRegex(@"&(?:amp|lt|gt|quot|apos|nbsp|#39|#x27|#34);", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Entity();

    /// <summary>The text with Slack's markup undone and its entities decoded exactly once.</summary>
    public static string ToPlain(string text)
    {
        // A mention of the bot may lead the text (pasted from an @mention); it is never an argument.
        var cleaned = text;
        while (LeadingMention().Match(cleaned) is { Success: true } mention)
        {
            cleaned = cleaned[mention.Length..];
        }

        cleaned = LabelledMarkup().Replace(cleaned, m => Rewrite(m.Groups["body"].Value));
        cleaned = Markup().Replace(cleaned, m => Rewrite(m.Groups["body"].Value));

        // One pass, so "&amp;lt;" becomes "&lt;" (what the person typed), not "<".
        return Entity().Replace(cleaned, m => m.Value.ToLowerInvariant() switch
        {
            "&amp;" => "&",
            "&lt;" => "<",
            "&gt;" => ">",
            "&quot;" or "&#34;" => "\"",
            "&apos;" or "&#39;" or "&#x27;" => "'",
            _ => " ",
        });
    }

    private static string Rewrite(string body)
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
}
