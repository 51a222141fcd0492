namespace PscaleBot.Commands.Grammar;

/// <summary>
/// What the steps of one parse share: the command found so far, the flags given, and the first error. Each step
/// reports through <see cref="Fail"/> and stops; later reports do not replace the first.
/// </summary>
internal sealed class ParseContext
{
    /// <param name="spec">The command the line is about, when known.</param>
    /// <param name="familyUsage">The usage line to show while no command is known.</param>
    /// <param name="line">The flags (and positional words) of the line.</param>
    public ParseContext(CommandSpec? spec, string familyUsage, SplitLine line)
    {
        Spec = spec;
        FamilyUsage = familyUsage;
        Line = line;
    }

    /// <summary>The command the line is about, when known.</summary>
    public CommandSpec? Spec { get; }

    /// <summary>The usage line of the family named, for errors before a command is known.</summary>
    public string FamilyUsage { get; }

    /// <summary>The flags given.</summary>
    public SplitLine Line { get; }

    /// <summary>The first error reported, if any.</summary>
    public ParseError? Error { get; private set; }

    /// <summary>True when an error already told the person that a secret was pasted.</summary>
    public bool ReportedSecret { get; private set; }

    /// <summary>The usage line every error carries: the command's, or its family's.</summary>
    public string Usage => Spec?.Usage ?? FamilyUsage;

    /// <summary>Records <paramref name="message"/> unless an error is already recorded; always null, so callers can <c>return Fail(…)</c>.</summary>
    public BotCommand? Fail(string message)
    {
        Error ??= new ParseError(message, Usage, Spec?.PolicyName);
        return null;
    }

    /// <summary>Like <see cref="Fail"/>, and notes that the message is about a pasted secret (so no second warning is added).</summary>
    public BotCommand? FailOnSecret(string message)
    {
        ReportedSecret = true;
        return Fail(message);
    }

    /// <summary>Records <paramref name="message"/> in place of any earlier error.</summary>
    public void Replace(string message) => Error = new ParseError(message, Usage, Spec?.PolicyName);

    /// <summary>The value of flag <paramref name="name"/>, when given.</summary>
    public bool TryGetValue(string name, out string value)
    {
        if (Line.Values.TryGetValue(name, out var found))
        {
            value = found;
            return true;
        }

        value = string.Empty;
        return false;
    }

    /// <summary>The value of flag <paramref name="name"/> as a slice of the line (not copied), when given.</summary>
    public bool TryGetSlice(string name, out ReadOnlyMemory<char> value)
    {
        if (Line.Values is FlagValues values)
        {
            return values.TryGetSlice(name, out value);
        }

        var found = Line.Values.TryGetValue(name, out var text);
        value = text.AsMemory();
        return found;
    }

    /// <summary>True when switch <paramref name="name"/> is on.</summary>
    public bool IsOn(string name) => Line.Switches.Contains(name);
}
