using System.Buffers;
using System.Text;

namespace PscaleBot.Commands.Grammar;

/// <summary>One word of a command line.</summary>
/// <param name="Value">The word, quotes removed: a slice of the line itself whenever the word is one run of it.</param>
/// <param name="Quoted">True when it starts with a quoted part (<c>"--x"</c>): such a word is never read as a flag.</param>
internal readonly record struct CommandWord(ReadOnlyMemory<char> Value, bool Quoted)
{
    /// <summary>The word as a string (a new one unless the word is a whole string).</summary>
    public string Text => Value.ToString();
}

/// <summary>What the tokenizer made of a line: the words, or the quote that was never closed.</summary>
internal readonly record struct TokenizedLine(IReadOnlyList<CommandWord> Words, char? UnclosedQuote);

/// <summary>
/// Splits a normalised chat line into words the way a shell would, but forgiving chat habits:
/// straight, typographic and guillemet quotes; apostrophes inside words (<c>don't</c>) stay literal;
/// a dash turned into an en or em dash by smart punctuation at the start of a word reads as <c>--</c>.
/// </summary>
/// <remarks>
/// A word that is one run of the line (plain, or wholly one quoted part) is kept as a slice of it, not copied: this
/// runs for every command on the acknowledgement path, and a 4,000-character line used to be copied twice here.
/// Only words the tokenizer changes (quotes inside them, a smart dash) are built.
/// </remarks>
internal static class CommandLineTokenizer
{
    private const string DoubleOpeners = "\"\u201C\u201D\u201E\u00AB\u00BB";
    private const string SingleOpeners = "'\u2018\u2019\u201A";

    // Searched for with vectorised IndexOfAny: a quoted --reason can run for thousands of characters.
    private static readonly SearchValues<char> DoubleClosers = SearchValues.Create("\"\u201C\u201D\u00AB\u00BB");
    private static readonly SearchValues<char> SingleClosers = SearchValues.Create("'\u2018\u2019");

    /// <summary>Splits <paramref name="line"/> (whitespace already folded to spaces) into words.</summary>
    public static TokenizedLine Tokenize(string line)
    {
        var words = new List<CommandWord>(line.AsSpan().Count(' ') + 1);
        var word = new WordBuilder(line);
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
                    words.Add(new CommandWord(word.Take(), quoted));
                    inWord = false;
                    quoted = false;
                }

                i++;
                continue;
            }

            // A quote opens only where a value can start: at the start of a word or right after '='.
            var atValueStart = !inWord || word.EndsWith('=');
            var closers = atValueStart ? ClosersFor(c) : null;
            if (closers is not null)
            {
                var close = FindClose(line, i + 1, closers);
                if (close < 0)
                {
                    return new TokenizedLine(words, c);
                }

                quoted |= !inWord;
                word.AppendSlice(i + 1, close - i - 1);
                inWord = true;
                i = close + 1;
                continue;
            }

            if (!inWord && IsDashLike(c))
            {
                // "—database" or "–-database": smart punctuation ate the double dash.
                word.AppendText("--");
                i++;
                if (i < line.Length && line[i] == '-')
                {
                    i++;
                }

                inWord = true;
                continue;
            }

            word.AppendSlice(i, 1);
            inWord = true;
            i++;
        }

        if (inWord)
        {
            words.Add(new CommandWord(word.Take(), quoted));
        }

        return new TokenizedLine(words, null);
    }

    /// <summary>
    /// The word being read: a slice of the line while it is one run of it, copied into a builder only once
    /// something else is appended.
    /// </summary>
    private struct WordBuilder(string line)
    {
        private int start = -1;
        private int length;
        private StringBuilder? built;
        private bool isBuilt;

        public readonly bool EndsWith(char c) => isBuilt
            ? built!.Length > 0 && built[^1] == c
            : length > 0 && line[start + length - 1] == c;

        public void AppendSlice(int from, int count)
        {
            if (!isBuilt && length == 0 && start < 0)
            {
                (start, length) = (from, count);
            }
            else if (!isBuilt && from == start + length)
            {
                length += count;
            }
            else
            {
                Build().Append(line, from, count);
            }
        }

        public void AppendText(string text) => Build().Append(text);

        /// <summary>The word, and the builder emptied for the next one.</summary>
        public ReadOnlyMemory<char> Take()
        {
            var word = isBuilt ? built!.ToString().AsMemory() : line.AsMemory(start < 0 ? 0 : start, length);
            start = -1;
            length = 0;
            isBuilt = false;
            return word;
        }

        private StringBuilder Build()
        {
            if (!isBuilt)
            {
                built ??= new StringBuilder();
                built.Clear();
                if (start >= 0)
                {
                    built.Append(line, start, length);
                }

                isBuilt = true;
            }

            return built!;
        }
    }

    private static SearchValues<char>? ClosersFor(char c) =>
        DoubleOpeners.Contains(c) ? DoubleClosers : SingleOpeners.Contains(c) ? SingleClosers : null;

    // The closing quote is the first one followed by a space or the end ('it's fine' keeps its
    // apostrophe); failing that, the first one at all ("a"b reads as ab, like a shell).
    private static int FindClose(string line, int from, SearchValues<char> closers)
    {
        var first = -1;
        var j = from;
        while (j < line.Length)
        {
            var next = line.AsSpan(j).IndexOfAny(closers);
            if (next < 0)
            {
                break;
            }

            j += next;
            if (j + 1 == line.Length || char.IsWhiteSpace(line[j + 1]))
            {
                return j;
            }

            if (first < 0)
            {
                first = j;
            }

            j++;
        }

        return first;
    }

    private static bool IsDashLike(char c) => c is '\u2012' or '\u2013' or '\u2014' or '\u2015';
}
