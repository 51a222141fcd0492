using System.Text;

namespace PscaleBot.Commands.Grammar;

/// <summary>One word of a command line.</summary>
/// <param name="Text">The word, quotes removed.</param>
/// <param name="Quoted">True when it starts with a quoted part (<c>"--x"</c>): such a word is never read as a flag.</param>
internal readonly record struct CommandWord(string Text, bool Quoted);

/// <summary>What the tokenizer made of a line: the words, or the quote that was never closed.</summary>
internal readonly record struct TokenizedLine(IReadOnlyList<CommandWord> Words, char? UnclosedQuote);

/// <summary>
/// Splits a normalised chat line into words the way a shell would, but forgiving chat habits:
/// straight, typographic and guillemet quotes; apostrophes inside words (<c>don't</c>) stay literal;
/// a dash turned into an en or em dash by smart punctuation at the start of a word reads as <c>--</c>.
/// </summary>
internal static class CommandLineTokenizer
{
    private const string DoubleOpeners = "\"\u201C\u201D\u201E\u00AB\u00BB";
    private const string DoubleClosers = "\"\u201C\u201D\u00AB\u00BB";
    private const string SingleOpeners = "'\u2018\u2019\u201A";
    private const string SingleClosers = "'\u2018\u2019";

    /// <summary>Splits <paramref name="line"/> (whitespace already folded to spaces) into words.</summary>
    public static TokenizedLine Tokenize(string line)
    {
        var words = new List<CommandWord>();
        var current = new StringBuilder();
        var inWord = false;
        var quoted = false;
        var i = 0;

        while (i < line.Length)
        {
            var c = line[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(new CommandWord(current.ToString(), quoted));
                    current.Clear();
                    inWord = false;
                    quoted = false;
                }

                i++;
                continue;
            }

            // A quote opens only where a value can start: at the start of a word or right after '='.
            var atValueStart = !inWord || (current.Length > 0 && current[^1] == '=');
            var closers = atValueStart ? ClosersFor(c) : null;
            if (closers is not null)
            {
                var close = FindClose(line, i + 1, closers);
                if (close < 0)
                {
                    return new TokenizedLine(words, c);
                }

                quoted |= !inWord;
                current.Append(line, i + 1, close - i - 1);
                inWord = true;
                i = close + 1;
                continue;
            }

            if (!inWord && IsDashLike(c))
            {
                // "—database" or "–-database": smart punctuation ate the double dash.
                current.Append("--");
                i++;
                if (i < line.Length && line[i] == '-')
                {
                    i++;
                }

                inWord = true;
                continue;
            }

            current.Append(c);
            inWord = true;
            i++;
        }

        if (inWord)
        {
            words.Add(new CommandWord(current.ToString(), quoted));
        }

        return new TokenizedLine(words, null);
    }

    private static string? ClosersFor(char c) =>
        DoubleOpeners.Contains(c) ? DoubleClosers : SingleOpeners.Contains(c) ? SingleClosers : null;

    // The closing quote is the first one followed by a space or the end ('it's fine' keeps its
    // apostrophe); failing that, the first one at all ("a"b reads as ab, like a shell).
    private static int FindClose(string line, int from, string closers)
    {
        var first = -1;
        for (var j = from; j < line.Length; j++)
        {
            if (!closers.Contains(line[j]))
            {
                continue;
            }

            if (j + 1 == line.Length || char.IsWhiteSpace(line[j + 1]))
            {
                return j;
            }

            if (first < 0)
            {
                first = j;
            }
        }

        return first;
    }

    private static bool IsDashLike(char c) => c is '\u2012' or '\u2013' or '\u2014' or '\u2015';
}
