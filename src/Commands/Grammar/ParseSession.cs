using System.Text.RegularExpressions;
using PscaleBot.Commands.Secrets;
using PscaleBot.Commands.Text;

namespace PscaleBot.Commands.Grammar;

/// <summary>
/// One parse of one normalised line: words, then flags and positional arguments, then the command.
/// Each step either moves on or records the first <see cref="Error"/>; nothing throws.
/// </summary>
internal sealed partial class ParseSession
{
    private static readonly string[] BotAddressWords = ["pscale", "/pscale", "@pscale"];

    private readonly string _line;
    private readonly string _raw;
    private readonly List<string> _positionals = [];
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _switches = new(StringComparer.Ordinal);
    private readonly List<string> _unknownFlags = [];
    private string? _flagError;
    private CommandSpec? _spec;
    private string _familyUsage = CommandGrammar.GeneralUsage;

    /// <param name="line">The normalised line to parse.</param>
    /// <param name="raw">The line as received: a credential flag there is refused even if markup hid it from <paramref name="line"/>.</param>
    public ParseSession(string line, string raw)
    {
        _line = line;
        _raw = raw;
    }

    /// <summary>Why the line did not parse, once <see cref="Run"/> has returned null.</summary>
    public ParseError? Error { get; private set; }

    /// <summary>True when the error already tells the person a secret was pasted.</summary>
    public bool ReportedSecret { get; private set; }

    /// <summary>The usage line of the command (or family) the line was about, as far as it got.</summary>
    public string Usage => _spec?.Usage ?? _familyUsage;

    /// <summary>The policy name of the command the line was about, when known.</summary>
    public string? SubCommand => _spec?.PolicyName;

    /// <summary>What a person reads when a line holds a token secret anywhere but the token ID position.</summary>
    public const string SecretInMessage =
        "your message contains a service-token secret (`pscale_tkn_…`), so it was not run: never paste secrets in chat";

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdShape();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceNameShape();

    /// <summary>Parses the line; null when it did not parse (see <see cref="Error"/>).</summary>
    public BotCommand? Run()
    {
        if ((SecretRedactor.FirstCredentialFlag(_line) ?? SecretRedactor.FirstCredentialFlag(_raw)) is { } credential)
        {
            ReportedSecret = true;
            var exposing = SecretRedactor.IsExposingFlag(credential)
                ? " If you sent a real value, treat it as exposed and rotate it."
                : string.Empty;
            return Fail($"`--{credential}` is refused: the bot uses its own configured credentials; never paste credentials in chat.{exposing}");
        }

        var tokenized = CommandLineTokenizer.Tokenize(_line);
        if (tokenized.UnclosedQuote is { } quote)
        {
            return Fail($"a quote ({quote}) is opened but never closed: close it, or remove it");
        }

        var words = tokenized.Words.ToList();
        while (words.Count > 0 && !words[0].Quoted && BotAddressWords.Contains(words[0].Text, StringComparer.OrdinalIgnoreCase))
        {
            words.RemoveAt(0);
        }

        SplitFlags(words);
        var resolution = Resolve();
        if (_unknownFlags.Count > 0)
        {
            // An unknown flag's value was read as an argument, so whatever Resolve made of the
            // arguments is less useful than naming the flag.
            Error = new ParseError(ExplainUnknownFlag(_unknownFlags[0]), Usage, _spec?.PolicyName);
            return null;
        }

        if (resolution is null)
        {
            return null;
        }

        if (_flagError is not null)
        {
            return Fail(_flagError);
        }

        var helpSpec = _spec;
        if (helpSpec is not null)
        {
            var foreign = _values.Keys.Concat(_switches).FirstOrDefault(name => name != "help" && !helpSpec.Accepts(name));
            if (foreign is not null)
            {
                return Fail(ExplainForeignFlag(foreign, helpSpec));
            }
        }

        if (!TryCommonOptions(out var options))
        {
            return null;
        }

        if (resolution.IsHelp || _switches.Contains("help"))
        {
            return new HelpCommand(options, resolution.IsHelp ? resolution.HelpTopic : _spec?.PolicyName ?? resolution.HelpTopic);
        }

        return Build(_spec!, resolution.Arguments, options);
    }

    private sealed record Resolution(IReadOnlyList<string> Arguments, bool IsHelp, string? HelpTopic);

    private void SplitFlags(List<CommandWord> words)
    {
        var endOfFlags = false;
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var text = word.Text;
            if (endOfFlags || word.Quoted || text.Length < 2 || text[0] != '-' || char.IsAsciiDigit(text[1]))
            {
                _positionals.Add(text);
                continue;
            }

            if (text == "--")
            {
                endOfFlags = true;
                continue;
            }

            var (spec, shown, inline) = ReadFlag(text);
            if (spec is null)
            {
                _unknownFlags.Add(shown);
                continue;
            }

            if (spec.TakesValue)
            {
                var value = inline;
                if (value is null && i + 1 < words.Count && !LooksLikeLongFlag(words[i + 1]))
                {
                    value = words[++i].Text;
                }

                if (string.IsNullOrWhiteSpace(value))
                {
                    _flagError ??= $"flag `{spec.Display}` needs a value: `{spec.Display} {spec.ValueName}`";
                    continue;
                }

                if (_values.TryGetValue(spec.Name, out var earlier) && earlier != value)
                {
                    _flagError ??= $"flag `{spec.Display}` was given twice with different values: give it once";
                    continue;
                }

                _values[spec.Name] = value;
                continue;
            }

            if (inline is not null)
            {
                if (inline.Equals("false", StringComparison.OrdinalIgnoreCase))
                {
                    _switches.Remove(spec.Name);
                    continue;
                }

                if (!inline.Equals("true", StringComparison.OrdinalIgnoreCase))
                {
                    _flagError ??= $"flag `{spec.Display}` takes no value (or `true`/`false`), not `{Shorten(inline)}`";
                    continue;
                }
            }

            _switches.Add(spec.Name);
        }
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
            return (CommandGrammar.AllFlags.GetValueOrDefault(name), "--" + Shorten(name), inline);
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
            return (null, "-" + Shorten(longName), null);
        }

        var rest = shortBody[1..];
        var shortInline = rest.Length == 0 ? null : rest.StartsWith('=') ? rest[1..] : rest;
        return (shortSpec, "-" + letter, shortInline);
    }

    private static bool LooksLikeLongFlag(CommandWord word) =>
        !word.Quoted && word.Text.StartsWith("--", StringComparison.Ordinal) && word.Text.Length > 2;

    private Resolution? Resolve()
    {
        var words = _positionals;
        if (words.Count == 0)
        {
            return new Resolution([], IsHelp: true, HelpTopic: null);
        }

        var first = words[0].ToLowerInvariant();
        switch (first)
        {
            case CommandGrammar.ServiceTokenWord:
                _familyUsage = CommandGrammar.ServiceTokenUsage;
                return ResolveFamily(words.Skip(1).ToList(), CommandFamily.ServiceToken, CommandGrammar.ServiceTokenWord);
            case CommandGrammar.AccessWord:
                _familyUsage = CommandGrammar.AccessUsage;
                return ResolveFamily(words.Skip(1).ToList(), CommandFamily.Access, CommandGrammar.AccessWord);
            case "help":
                _spec = CommandGrammar.ByPolicyName("help");
                return HelpTopicFrom(words.Skip(1).ToList());
        }

        var bot = CommandGrammar.InFamily(CommandFamily.Bot).FirstOrDefault(c => c.Word == first);
        if (bot is not null)
        {
            _spec = bot;
            return new Resolution(words.Skip(1).ToList(), IsHelp: false, HelpTopic: null);
        }

        var elsewhere = CommandGrammar.Commands.FirstOrDefault(c => c.Family != CommandFamily.Bot && c.Word == first);
        if (elsewhere is not null)
        {
            _spec = elsewhere;
            var family = elsewhere.Family == CommandFamily.ServiceToken ? CommandGrammar.ServiceTokenWord : CommandGrammar.AccessWord;
            var article = elsewhere.Family == CommandFamily.Access ? "an" : "a";
            Fail($"`{first}` is {article} `{family}` command: type `{elsewhere.Path}`");
            return null;
        }

        var suggestion = SuggestTopLevel(first);
        Fail(suggestion is null
            ? $"unknown command `{Shorten(words[0])}`: type `help` to see the commands"
            : $"unknown command `{Shorten(words[0])}`: did you mean `{suggestion}`?");
        return null;
    }

    private Resolution? ResolveFamily(List<string> rest, CommandFamily family, string familyWord)
    {
        if (rest.Count == 0)
        {
            return new Resolution([], IsHelp: true, HelpTopic: familyWord);
        }

        var sub = rest[0].ToLowerInvariant();
        if (sub == "help")
        {
            _spec = CommandGrammar.ByPolicyName("help");
            var topicWords = rest.Skip(1).ToList();
            if (topicWords.Count == 0)
            {
                return new Resolution([], IsHelp: true, HelpTopic: familyWord);
            }

            return HelpTopicFrom(family == CommandFamily.Access ? topicWords.Prepend(familyWord).ToList() : topicWords);
        }

        var spec = CommandGrammar.InFamily(family).FirstOrDefault(c => c.Word == sub);
        if (spec is null)
        {
            var suggestion = CommandGrammar.FormerNames.GetValueOrDefault(sub)
                ?? NameSuggester.Closest(sub, CommandGrammar.InFamily(family).Select(c => c.Word));
            Fail(suggestion is null
                ? $"unknown command `{Shorten(rest[0])}` for `{familyWord}`: type `help {familyWord}` to see its commands"
                : $"unknown command `{Shorten(rest[0])}` for `{familyWord}`: did you mean `{suggestion}`?");
            return null;
        }

        _spec = spec;
        return new Resolution(rest.Skip(1).ToList(), IsHelp: false, HelpTopic: null);
    }

    // help [topic]: "add-access", "service-token add-access", "access", "access approve", "access-approve".
    private Resolution? HelpTopicFrom(List<string> words)
    {
        var topic = words.Select(w => w.ToLowerInvariant()).ToList();
        if (topic.Count > 1 && topic[0] == CommandGrammar.ServiceTokenWord)
        {
            topic.RemoveAt(0);
        }

        switch (topic.Count)
        {
            case 0:
                return new Resolution([], IsHelp: true, HelpTopic: null);
            case 1:
                return new Resolution([], IsHelp: true, HelpTopic: topic[0]);
            case 2 when topic[0] == CommandGrammar.AccessWord:
                var known = CommandGrammar.InFamily(CommandFamily.Access).FirstOrDefault(c => c.Word == topic[1]);
                return new Resolution([], IsHelp: true, HelpTopic: known?.PolicyName ?? $"access {topic[1]}");
            default:
                Fail("`help` takes one topic, like `help add-access` or `help access approve`");
                return null;
        }
    }

    private bool TryCommonOptions(out CommonOptions options)
    {
        options = CommonOptions.Default;
        string? org = null;
        if (_values.TryGetValue("org", out var orgValue))
        {
            if (!ResourceNameShape().IsMatch(orgValue))
            {
                Fail($"invalid organization `{Shorten(orgValue)}`: use letters, digits, `-` and `_`");
                return false;
            }

            org = orgValue;
        }

        var format = OutputFormat.Human;
        if (_values.TryGetValue("format", out var formatValue))
        {
            switch (formatValue.ToLowerInvariant())
            {
                case "human":
                    format = OutputFormat.Human;
                    break;
                case "json":
                    format = OutputFormat.Json;
                    break;
                case "csv":
                    format = OutputFormat.Csv;
                    break;
                default:
                    Fail($"invalid value `{Shorten(formatValue)}` for `--format`: use `human`, `json` or `csv`");
                    return false;
            }
        }

        options = new CommonOptions(
            org,
            format,
            DryRun: _switches.Contains("dry-run"),
            Debug: _switches.Contains("debug"),
            Public: _switches.Contains("public"));
        return true;
    }

    private BotCommand? Build(CommandSpec spec, IReadOnlyList<string> args, CommonOptions options)
    {
        switch (spec.PolicyName)
        {
            case "create":
                if (!NoArguments(spec, args) || !TryName(out var name) || !TryDuration("ttl", out var ttl))
                {
                    return null;
                }

                return new CreateTokenCommand(options, name, ttl);
            case "list":
                return NoArguments(spec, args) ? new ListTokensCommand(options) : null;
            case "show":
                return TryTokenId(spec, args, out var showId) ? new ShowTokenCommand(options, showId) : null;
            case "delete":
                return TryTokenId(spec, args, out var deleteId) ? new DeleteTokenCommand(options, deleteId) : null;
            case "show-access":
                return TryTokenId(spec, args, out var accessId) ? new ShowAccessCommand(options, accessId) : null;
            case "add-access":
                return BuildAddAccess(spec, args, options);
            case "delete-access":
                if (!TryAccessArguments(spec, args, "remove", out var removeId, out var removePermissions, out var removeDatabase))
                {
                    return null;
                }

                return new DeleteAccessCommand(options, removeId, removePermissions, removeDatabase);
            case "whoami":
                return NoArguments(spec, args) ? new WhoAmICommand(options) : null;
            case "audit":
                return NoArguments(spec, args) && TryLimit(out var limit) ? new AuditCommand(options, limit) : null;
            case "access-list":
                return NoArguments(spec, args) ? new AccessListCommand(options) : null;
            case "access-approve":
                return TryRecordId(spec, args, "REQUEST_ID", "request", out var approveId) ? new AccessApproveCommand(options, approveId) : null;
            case "access-deny":
                return TryRecordId(spec, args, "REQUEST_ID", "request", out var denyId) && TryReason(out var denyReason)
                    ? new AccessDenyCommand(options, denyId, denyReason)
                    : null;
            case "access-revoke":
                return TryRecordId(spec, args, "GRANT_ID", "grant", out var revokeId) ? new AccessRevokeCommand(options, revokeId) : null;
            case "access-extend":
                return BuildExtend(spec, args, options);
            case "access-cancel":
                return TryRecordId(spec, args, "REQUEST_ID", "request", out var cancelId) ? new AccessCancelCommand(options, cancelId) : null;
            default:
                return Fail($"`{spec.Path}` cannot be run");
        }
    }

    private BotCommand? BuildAddAccess(CommandSpec spec, IReadOnlyList<string> args, CommonOptions options)
    {
        if (!TryAccessArguments(spec, args, "add", out var tokenId, out var permissions, out var database)
            || !TryDuration("for", out var duration)
            || !TryReason(out var reason))
        {
            return null;
        }

        return new AddAccessCommand(options, tokenId, permissions, database, duration, reason, _switches.Contains("break-glass"));
    }

    private BotCommand? BuildExtend(CommandSpec spec, IReadOnlyList<string> args, CommonOptions options)
    {
        if (!TryRecordId(spec, args, "GRANT_ID", "grant", out var grantId))
        {
            return null;
        }

        if (!_values.ContainsKey("for"))
        {
            return Fail("missing `--for`: say how much longer the grant should last, like `--for 1h`");
        }

        if (!TryDuration("for", out var duration) || !TryReason(out var reason))
        {
            return null;
        }

        return new AccessExtendCommand(options, grantId, duration!.Value, reason);
    }

    private bool TryAccessArguments(
        CommandSpec spec,
        IReadOnlyList<string> args,
        string verb,
        out string tokenId,
        out IReadOnlyList<string> permissions,
        out string? database)
    {
        tokenId = string.Empty;
        permissions = [];
        database = null;
        if (args.Count == 0)
        {
            Fail($"missing TOKEN_ID and PERMISSION: `{spec.Path}` needs a token ID and at least one permission to {verb}, like `{spec.Path} hnmkbklsndgi read_branch --database <name>`");
            return false;
        }

        if (!TryValidTokenId(args[0], out tokenId))
        {
            return false;
        }

        if (args.Count == 1)
        {
            Fail($"missing PERMISSION: name at least one permission to {verb}, like `read_branch`");
            return false;
        }

        if (_values.TryGetValue("database", out var db))
        {
            if (!ResourceNameShape().IsMatch(db))
            {
                Fail($"invalid database name `{Shorten(db)}`: use letters, digits, `-` and `_`");
                return false;
            }

            database = db;
        }

        if (!PermissionArguments.TryRead(args.Skip(1), database is not null, out permissions, out var error))
        {
            Fail(error!);
            return false;
        }

        return true;
    }

    private bool TryTokenId(CommandSpec spec, IReadOnlyList<string> args, out string tokenId)
    {
        tokenId = string.Empty;
        if (args.Count == 0)
        {
            Fail($"missing TOKEN_ID: `{spec.Path}` needs the ID of a token (`service-token list` shows them)");
            return false;
        }

        return TryValidTokenId(args[0]!, out tokenId) && NoArguments(spec, args.Skip(1).ToList());
    }

    private bool TryValidTokenId(string candidate, out string tokenId)
    {
        tokenId = string.Empty;
        if (SecretRedactor.LooksLikeTokenSecret(candidate))
        {
            ReportedSecret = true;
            Fail("that is a service-token secret (`pscale_tkn_…`), not a token ID, so nothing was run. " +
                 "Token IDs are 12 lower-case letters and digits, like `hnmkbklsndgi`; `service-token list` shows them.");
            return false;
        }

        if (candidate.StartsWith('<') && candidate.EndsWith('>'))
        {
            Fail($"replace `{Shorten(candidate)}` with a real token ID (`service-token list` shows them)");
            return false;
        }

        if (!IdShape().IsMatch(candidate))
        {
            Fail($"invalid token ID `{Shorten(candidate)}`: token IDs are 12 lower-case letters and digits, like `hnmkbklsndgi`");
            return false;
        }

        tokenId = candidate;
        return true;
    }

    private bool TryRecordId(CommandSpec spec, IReadOnlyList<string> args, string placeholder, string what, out string id)
    {
        id = string.Empty;
        if (args.Count == 0)
        {
            Fail($"missing {placeholder}: `{spec.Path}` needs the ID of a {what} (`access list` shows them)");
            return false;
        }

        var candidate = args[0].TrimStart('#');
        if (SecretRedactor.LooksLikeTokenSecret(candidate))
        {
            ReportedSecret = true;
            Fail(SecretInMessage);
            return false;
        }

        if (!IdShape().IsMatch(candidate))
        {
            Fail($"invalid {what} ID `{Shorten(args[0])}`: use the ID `access list` shows");
            return false;
        }

        id = candidate;
        return NoArguments(spec, args.Skip(1).ToList());
    }

    private bool NoArguments(CommandSpec spec, IReadOnlyList<string> extra)
    {
        if (extra.Count == 0)
        {
            return true;
        }

        Fail($"too many arguments for `{spec.Path}`: unexpected {string.Join(" ", extra.Take(5).Select(e => $"`{Shorten(e)}`"))}{(extra.Count > 5 ? " …" : string.Empty)}");
        return false;
    }

    private bool TryName(out string? name)
    {
        name = null;
        if (!_values.TryGetValue("name", out var value))
        {
            return true;
        }

        value = value.Trim();
        if (value.Length == 0)
        {
            Fail("flag `--name` needs a value: `--name NAME`");
            return false;
        }

        if (value.Length > CommandGrammar.MaxNameLength)
        {
            Fail($"`--name` is too long ({value.Length} characters; at most {CommandGrammar.MaxNameLength})");
            return false;
        }

        name = value;
        return true;
    }

    private bool TryReason(out string? reason)
    {
        reason = null;
        if (!_values.TryGetValue("reason", out var value))
        {
            return true;
        }

        value = value.Trim();
        if (value.Length == 0)
        {
            Fail("flag `--reason` needs a value: `--reason \"…\"`");
            return false;
        }

        if (value.Length > CommandGrammar.MaxReasonLength)
        {
            Fail($"`--reason` is too long ({value.Length} characters; at most {CommandGrammar.MaxReasonLength})");
            return false;
        }

        reason = value;
        return true;
    }

    private bool TryDuration(string flag, out TimeSpan? duration)
    {
        duration = null;
        if (!_values.TryGetValue(flag, out var value))
        {
            return true;
        }

        if (!DurationParser.TryParse(value, "--" + flag, out var parsed, out var error))
        {
            Fail(error!);
            return false;
        }

        duration = parsed;
        return true;
    }

    private bool TryLimit(out int limit)
    {
        limit = CommandGrammar.AuditDefaultLimit;
        if (!_values.TryGetValue("limit", out var value))
        {
            return true;
        }

        var range = $"{CommandGrammar.AuditMinLimit} to {CommandGrammar.AuditMaxLimit}";
        var trimmed = value.Trim();
        var digits = trimmed.StartsWith('-') ? trimmed[1..] : trimmed;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            Fail($"invalid value `{Shorten(value)}` for `--limit`: use a whole number from {range}");
            return false;
        }

        if (digits.Length > 9 || !int.TryParse(trimmed, out limit)
            || limit < CommandGrammar.AuditMinLimit || limit > CommandGrammar.AuditMaxLimit)
        {
            limit = 0;
            Fail($"`--limit` must be from {range}, not `{Shorten(value)}`");
            return false;
        }

        return true;
    }

    private string ExplainUnknownFlag(string shown)
    {
        var bare = shown.TrimStart('-');
        if (_spec is not null)
        {
            var own = _spec.Flags.Concat(CommandGrammar.CommonFlags).Append(CommandGrammar.HelpFlag).Select(f => f.Name).ToList();
            var near = NameSuggester.Closest(bare, own);
            return near is null
                ? $"unknown flag `{shown}` for `{_spec.Path}`"
                : $"unknown flag `{shown}`: did you mean `--{near}`?";
        }

        var anywhere = NameSuggester.Closest(bare, CommandGrammar.AllFlags.Keys);
        return anywhere is null ? $"unknown flag `{shown}`" : $"unknown flag `{shown}`: did you mean `--{anywhere}`?";
    }

    private static string ExplainForeignFlag(string name, CommandSpec spec)
    {
        var owners = CommandGrammar.Commands.Where(c => c.Flags.Any(f => f.Name == name)).Select(c => $"`{c.Path}`").ToList();
        return owners.Count == 0
            ? $"`--{name}` is not a flag of `{spec.Path}`"
            : $"`--{name}` is not a flag of `{spec.Path}` (it belongs to {string.Join(" and ", owners)})";
    }

    private static string? SuggestTopLevel(string word)
    {
        var byWord = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [CommandGrammar.ServiceTokenWord] = CommandGrammar.ServiceTokenWord,
            [CommandGrammar.AccessWord] = CommandGrammar.AccessWord,
        };
        foreach (var spec in CommandGrammar.Commands)
        {
            byWord.TryAdd(spec.Word, spec.Path);
        }

        var closest = NameSuggester.Closest(word, byWord.Keys);
        return closest is null ? null : byWord[closest];
    }

    private BotCommand? Fail(string message)
    {
        Error ??= new ParseError(message, Usage, _spec?.PolicyName);
        return null;
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
