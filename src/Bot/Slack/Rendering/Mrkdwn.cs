using System.Buffers;
using System.Text;

namespace PscaleBot.Bot.Slack.Rendering;

/// <summary>Slack mrkdwn text helpers.</summary>
public static class Mrkdwn
{
    private static readonly SearchValues<char> Special = SearchValues.Create("&<>");

    /// <summary>Escapes the three characters Slack gives meaning to in text: <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c>.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        // Most cells (ids, names, permissions, times) hold none of the three: they are returned as they are.
        var first = text.AsSpan().IndexOfAny(Special);
        if (first < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8).Append(text, 0, first);
        foreach (var c in text.AsSpan(first))
        {
            switch (c)
            {
                case '&': builder.Append("&amp;"); break;
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                default: builder.Append(c); break;
            }
        }

        return builder.ToString();
    }

    /// <summary>Inline code of untrusted text (escaped; backticks replaced so the span cannot be closed early).</summary>
    public static string Code(string? text) => $"`{Escape(text).Replace('`', '\'')}`";

    /// <summary>Bold of untrusted text.</summary>
    public static string Bold(string? text) => $"*{Escape(text).Replace('*', '∗')}*";

    /// <summary>Text safe to put between code fences (escaped, no fence can be closed from inside).</summary>
    public static string CodeBlockContent(string text) => Escape(text).Replace("```", "'''");

    /// <summary>A user mention for a Slack user id (U…/W…); falls back to the escaped text for anything else.</summary>
    public static string UserMention(string? slackUserId) =>
        slackUserId is { Length: > 1 } id && (id[0] is 'U' or 'W') && id.All(char.IsAsciiLetterOrDigit) ? $"<@{id}>" : Escape(slackUserId);

    /// <summary>A date Slack shows in each reader's time zone, with a UTC fallback.</summary>
    public static string Date(DateTimeOffset at) =>
        $"<!date^{at.ToUnixTimeSeconds()}^{{date_short_pretty}} {{time}}|{at.UtcDateTime:yyyy-MM-dd HH:mm} UTC>";
}
