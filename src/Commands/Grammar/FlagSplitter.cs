namespace PscaleBot.Commands.Grammar;

/// <summary>A line's words sorted into positional arguments and flags.</summary>
/// <param name="Positionals">The words that are not flags, in order (the command words first).</param>
/// <param name="Values">Each value flag given, by name, in the order first given.</param>
/// <param name="Switches">Each switch that is on.</param>
/// <param name="UnknownFlags">Flags no command knows, as typed (shortened).</param>
/// <param name="FlagError">The first problem with a known flag (missing value, given twice, …), if any.</param>
internal sealed record SplitLine(
    IReadOnlyList<string> Positionals,
    IReadOnlyDictionary<string, string> Values,
    IReadOnlySet<string> Switches,
    IReadOnlyList<string> UnknownFlags,
    string? FlagError)
{
    /// <summary>The name of every flag given, value flags first.</summary>
    public IEnumerable<string> FlagNames => Values.Keys.Concat(Switches);
}

/// <summary>
/// Splits words into flags and positional arguments the way cobra does, forgiving chat habits: flags may come
/// anywhere, <c>--</c> ends them, a quoted word is never a flag, and a negative number is an argument.
/// Flags are looked up in the whole grammar (<see cref="CommandGrammar.AllFlags"/>): which command may take
/// which flag is checked once the command is known.
/// </summary>
internal static class FlagSplitter
{
    /// <summary>Sorts <paramref name="words"/> into a <see cref="SplitLine"/>.</summary>
    public static SplitLine Split(IReadOnlyList<CommandWord> words)
    {
        var positionals = new List<string>(words.Count);
        var values = new FlagValues();
        var switches = new HashSet<string>(StringComparer.Ordinal);
        var unknown = new List<string>();
        string? flagError = null;
        var endOfFlags = false;
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var span = word.Value.Span;
            if (endOfFlags || word.Quoted || span.Length < 2 || span[0] != '-' || char.IsAsciiDigit(span[1]))
            {
                positionals.Add(GrammarWords.Text(word.Value));
                continue;
            }

            if (span is "--")
            {
                endOfFlags = true;
                continue;
            }

            var (spec, shown, inline) = ReadFlag(word.Text);
            if (spec is null)
            {
                unknown.Add(shown);
                continue;
            }

            if (spec.TakesValue)
            {
                // The value stays a slice of the line: FlagValueValidator reads it (and refuses one too long) later.
                ReadOnlyMemory<char>? value = inline?.AsMemory();
                if (value is null && i + 1 < words.Count && !LooksLikeLongFlag(words[i + 1]))
                {
                    value = words[++i].Value;
                }

                if (value is not { } given || given.Span.IsWhiteSpace())
                {
                    flagError ??= ParseMessages.FlagNeedsValue(spec);
                    continue;
                }

                if (values.TryGetSlice(spec.Name, out var earlier) && !earlier.Span.SequenceEqual(given.Span))
                {
                    flagError ??= ParseMessages.FlagGivenTwice(spec);
                    continue;
                }

                values.Set(spec.Name, given);
                continue;
            }

            if (inline is not null)
            {
                if (inline.Equals("false", StringComparison.OrdinalIgnoreCase))
                {
                    switches.Remove(spec.Name);
                    continue;
                }

                if (!inline.Equals("true", StringComparison.OrdinalIgnoreCase))
                {
                    flagError ??= ParseMessages.SwitchTakesNoValue(spec, inline);
                    continue;
                }
            }

            switches.Add(spec.Name);
        }

        return new SplitLine(positionals, values, switches, unknown, flagError);
    }

    // "--database=x", "--database", "-f", "-fjson", "-f=json", and the one-dash long form "-database".
    private static (FlagSpec? Spec, string Shown, string? Inline) ReadFlag(string text)
    {
        if (text.StartsWith("--", StringComparison.Ordinal))
        {
            var body = text[2..];
            var eq = body.IndexOf('=', StringComparison.Ordinal);
            var name = (eq >= 0 ? body[..eq] : body).ToLowerInvariant();
            var inline = eq >= 0 ? body[(eq + 1)..] : null;
            return (CommandGrammar.AllFlags.GetValueOrDefault(name), "--" + ParseMessages.Shorten(name), inline);
        }

        var shortBody = text[1..];
        var shortEq = shortBody.IndexOf('=', StringComparison.Ordinal);
        var longName = (shortEq >= 0 ? shortBody[..shortEq] : shortBody).ToLowerInvariant();
        if (longName.Length > 1 && CommandGrammar.AllFlags.TryGetValue(longName, out var longSpec))
        {
            return (longSpec, "--" + longName, shortEq >= 0 ? shortBody[(shortEq + 1)..] : null);
        }

        var letter = char.ToLowerInvariant(shortBody[0]);
        var shortSpec = CommandGrammar.AllFlags.Values.FirstOrDefault(f => f.Shorthand == letter);
        if (shortSpec is null)
        {
            return (null, "-" + ParseMessages.Shorten(longName), null);
        }

        var rest = shortBody[1..];
        var shortInline = rest.Length == 0 ? null : rest.StartsWith('=') ? rest[1..] : rest;
        return (shortSpec, "-" + letter, shortInline);
    }

    private static bool LooksLikeLongFlag(CommandWord word) =>
        !word.Quoted && word.Value.Span.StartsWith("--") && word.Value.Length > 2;
}
