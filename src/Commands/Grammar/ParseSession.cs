using PscaleBot.Commands.Secrets;
using PscaleBot.Commands.Text;

namespace PscaleBot.Commands.Grammar;

/// <summary>
/// One parse of one normalised line, step by step: refuse credential flags, split into words
/// (<see cref="CommandLineTokenizer"/>), sort flags from arguments (<see cref="FlagSplitter"/>), find the command
/// (<see cref="CommandResolver"/>), check which flags it accepts, read the common flags, then build the command
/// (<see cref="CommandBuilders"/>). Each step either moves on or records the first <see cref="Error"/>; nothing throws.
/// </summary>
internal sealed class ParseSession
{
    private static readonly string[] BotAddressWords = ["pscale", "/pscale", "@pscale"];

    private static readonly SplitLine NoWords = new([], new FlagValues(), new HashSet<string>(), [], null);

    private readonly string _line;
    private readonly string _raw;
    private ParseContext _context = new(null, CommandGrammar.GeneralUsage, NoWords);

    /// <param name="line">The normalised line to parse.</param>
    /// <param name="raw">The line as received: a credential flag there is refused even if markup hid it from <paramref name="line"/>.</param>
    public ParseSession(string line, string raw)
    {
        _line = line;
        _raw = raw;
    }

    /// <summary>Why the line did not parse, once <see cref="Run"/> has returned null.</summary>
    public ParseError? Error => _context.Error;

    /// <summary>True when the error already tells the person a secret was pasted.</summary>
    public bool ReportedSecret => _context.ReportedSecret;

    /// <summary>The usage line of the command (or family) the line was about, as far as it got.</summary>
    public string Usage => _context.Usage;

    /// <summary>The policy name of the command the line was about, when known.</summary>
    public string? SubCommand => _context.Spec?.PolicyName;

    /// <summary>Parses the line; null when it did not parse (see <see cref="Error"/>).</summary>
    public BotCommand? Run()
    {
        // The line is usually the received text itself (nothing to undo): then one scan is enough.
        if ((SecretRedactor.FirstCredentialFlag(_line) ?? (ReferenceEquals(_line, _raw) ? null : SecretRedactor.FirstCredentialFlag(_raw))) is { } credential)
        {
            return _context.FailOnSecret(ParseMessages.CredentialFlagRefused(credential, SecretRedactor.IsExposingFlag(credential)));
        }

        var tokenized = CommandLineTokenizer.Tokenize(_line);
        if (tokenized.UnclosedQuote is { } quote)
        {
            return _context.Fail(ParseMessages.UnclosedQuote(quote));
        }

        var split = FlagSplitter.Split(WithoutBotAddress(tokenized.Words));
        var resolution = CommandResolver.Resolve(split.Positionals);
        _context = new ParseContext(resolution.Spec, resolution.FamilyUsage, split);
        if (split.UnknownFlags.Count > 0)
        {
            // An unknown flag's value was read as an argument, so whatever the resolver made of the
            // arguments is less useful than naming the flag.
            _context.Replace(ExplainUnknownFlag(split.UnknownFlags[0], resolution.Spec));
            return null;
        }

        if (resolution.Error is { } unresolved)
        {
            return _context.Fail(unresolved);
        }

        if (split.FlagError is { } flagError)
        {
            return _context.Fail(flagError);
        }

        if (resolution.Spec is { } spec
            && split.FlagNames.FirstOrDefault(name => name != "help" && !spec.Accepts(name)) is { } foreign)
        {
            return _context.Fail(ParseMessages.ForeignFlag(foreign, spec.Path, FlagOwners(foreign)));
        }

        if (!new FlagValueValidator(_context).TryCommonOptions(out var options))
        {
            return null;
        }

        if (resolution.IsHelp || split.Switches.Contains("help"))
        {
            return new HelpCommand(options, resolution.IsHelp ? resolution.HelpTopic : resolution.Spec?.PolicyName ?? resolution.HelpTopic);
        }

        return CommandBuilders.Build(_context, resolution.Spec!, resolution.Arguments, options);
    }

    // "pscale list", "@pscale list": the bot's own name in front of the command is not a word of it.
    private static IReadOnlyList<CommandWord> WithoutBotAddress(IReadOnlyList<CommandWord> words)
    {
        if (words.Count == 0 || !IsBotAddress(words[0]))
        {
            return words;
        }

        var rest = words.ToList();
        while (rest.Count > 0 && IsBotAddress(rest[0]))
        {
            rest.RemoveAt(0);
        }

        return rest;
    }

    private static bool IsBotAddress(CommandWord word)
    {
        if (word.Quoted)
        {
            return false;
        }

        foreach (var address in BotAddressWords)
        {
            if (word.Value.Span.Equals(address, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static string ExplainUnknownFlag(string shown, CommandSpec? spec)
    {
        var bare = shown.TrimStart('-');
        if (spec is not null)
        {
            var own = spec.Flags.Concat(CommandGrammar.CommonFlags).Append(CommandGrammar.HelpFlag).Select(f => f.Name).ToList();
            return ParseMessages.UnknownFlag(shown, spec.Path, NameSuggester.Closest(bare, own));
        }

        return ParseMessages.UnknownFlag(shown, null, NameSuggester.Closest(bare, CommandGrammar.AllFlags.Keys));
    }

    private static List<string> FlagOwners(string name) =>
        CommandGrammar.Commands.Where(c => c.Flags.Any(f => f.Name == name)).Select(c => c.Path).ToList();
}
