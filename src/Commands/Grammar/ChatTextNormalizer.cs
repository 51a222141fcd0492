using System.Globalization;
using System.Text;

namespace PscaleBot.Commands.Grammar;

/// <summary>
/// Undoes what any chat client or terminal does to a typed line before the grammar sees it: code
/// backticks, invisible formatting characters and exotic spaces. Platform markup (Slack's <c>&lt;…|…&gt;</c>,
/// Teams' <c>&lt;at&gt;</c> and HTML entities) is each adapter's job: the text arrives here decoded once.
/// </summary>
internal static class ChatTextNormalizer
{
    /// <summary>Returns the line as the person meant to type it.</summary>
    public static string Normalize(string text)
    {
        var cleaned = CleanCharacters(text);

        // People paste CLI lines as inline code or code blocks; backticks never mean anything here.
        return cleaned.Replace("`", string.Empty, StringComparison.Ordinal).Trim();
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
