using System.Buffers;
using System.Globalization;

namespace PscaleBot.Commands.Grammar;

/// <summary>
/// Undoes what any chat client or terminal does to a typed line before the grammar sees it: code
/// backticks, invisible formatting characters and exotic spaces. Platform markup (Slack's <c>&lt;…|…&gt;</c>,
/// Teams' <c>&lt;at&gt;</c> and HTML entities) is each adapter's job: the text arrives here decoded once.
/// </summary>
internal static class ChatTextNormalizer
{
    // Printable ASCII other than the backtick: never changed, so a scan can skip it in bulk.
    private static readonly SearchValues<char> Plain = SearchValues.Create(
        [.. Enumerable.Range(' ', '~' - ' ' + 1).Select(i => (char)i).Where(c => c != '`')]);

    /// <summary>Returns the line as the person meant to type it (the same string when nothing needed undoing).</summary>
    public static string Normalize(string text)
    {
        // Most lines need nothing: no copy then (this runs on the acknowledgement path for every command).
        if (!NeedsUndoing(text))
        {
            return text.Trim();
        }

        var buffer = ArrayPool<char>.Shared.Rent(text.Length);
        try
        {
            var length = 0;
            foreach (var c in text)
            {
                if (char.IsWhiteSpace(c) || char.IsControl(c))
                {
                    buffer[length++] = ' ';
                }
                else if (c != '`' && CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format)
                {
                    // People paste CLI lines as inline code or code blocks; backticks never mean anything here.
                    // Zero-width spaces, direction marks and soft hyphens are invisible in chat but would split
                    // or glue words here.
                    buffer[length++] = c;
                }
            }

            return new string(buffer.AsSpan(0, length).Trim(' '));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static bool NeedsUndoing(string text)
    {
        var span = text.AsSpan();
        for (var i = span.IndexOfAnyExcept(Plain); i >= 0 && i < span.Length; i++)
        {
            if (NeedsUndoing(span[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool NeedsUndoing(char c) =>
        c == '`' || (c != ' ' && (char.IsWhiteSpace(c) || char.IsControl(c))) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format;
}
