namespace PscaleBot.Commands.Grammar;

/// <summary>
/// Every sentence the parser says to a person, in one place so the wording stays consistent and can be
/// reviewed at once. Values a person typed are echoed through <see cref="Shorten"/>, never in full.
/// (Durations and permissions word their own errors: <see cref="DurationParser"/>, <see cref="PermissionArguments"/>.)
/// </summary>
internal static class ParseMessages
{
    /// <summary>Longest typed value echoed back before it is cut with "…".</summary>
    private const int MaxEchoLength = 40;

    /// <summary>What a person reads when a line holds a token secret anywhere but the token ID position.</summary>
    public const string SecretInMessage =
        "your message contains a service-token secret (`pscale_tkn_…`), so it was not run: never paste secrets in chat";

    /// <summary>The last-resort answer when parsing failed in a way that was not foreseen.</summary>
    public const string Unreadable = "the command could not be read: check it and try again, or type `help`";

    /// <summary>The answer when no step recorded why the line did not parse.</summary>
    public const string UnreadableNoReason = "the command could not be read: type `help` to see the commands";

    /// <summary>A typed value as it is echoed: at most <see cref="MaxEchoLength"/> characters, then "…".</summary>
    public static string Shorten(string value) => value.Length <= MaxEchoLength ? value : value[..MaxEchoLength] + "…";

    /// <summary>The line is longer than the parser reads.</summary>
    public static string TooLong(int length, int limit) =>
        $"the command is too long ({length} characters; the limit is {limit}): send one command at a time";

    /// <summary>A credential flag (<c>--service-token</c> …) was given; <paramref name="exposing"/> when its value may be real.</summary>
    public static string CredentialFlagRefused(string flag, bool exposing) =>
        $"`--{flag}` is refused: the bot uses its own configured credentials; never paste credentials in chat."
        + (exposing ? " If you sent a real value, treat it as exposed and rotate it." : string.Empty);

    /// <summary>A quote was opened and never closed.</summary>
    public static string UnclosedQuote(char quote) => $"a quote ({quote}) is opened but never closed: close it, or remove it";

    // ---- flags ----

    /// <summary>A value flag was given without its value.</summary>
    public static string FlagNeedsValue(FlagSpec flag) => $"flag `{flag.Display}` needs a value: `{flag.Display} {flag.ValueName}`";

    /// <summary>A value flag was given twice with different values.</summary>
    public static string FlagGivenTwice(FlagSpec flag) => $"flag `{flag.Display}` was given twice with different values: give it once";

    /// <summary>A switch was given a value other than true or false.</summary>
    public static string SwitchTakesNoValue(FlagSpec flag, string value) =>
        $"flag `{flag.Display}` takes no value (or `true`/`false`), not `{Shorten(value)}`";

    /// <summary>A flag no command knows; <paramref name="commandPath"/> when the command is known, <paramref name="near"/> when one is close.</summary>
    public static string UnknownFlag(string shown, string? commandPath, string? near) =>
        near is not null ? $"unknown flag `{shown}`: did you mean `--{near}`?"
        : commandPath is not null ? $"unknown flag `{shown}` for `{commandPath}`"
        : $"unknown flag `{shown}`";

    /// <summary>A flag of other commands (<paramref name="owners"/>, possibly none) given to <paramref name="commandPath"/>.</summary>
    public static string ForeignFlag(string name, string commandPath, IReadOnlyList<string> owners) =>
        owners.Count == 0
            ? $"`--{name}` is not a flag of `{commandPath}`"
            : $"`--{name}` is not a flag of `{commandPath}` (it belongs to {string.Join(" and ", owners.Select(o => $"`{o}`"))})";

    /// <summary><c>--org</c> is not a name.</summary>
    public static string InvalidOrganization(string value) => $"invalid organization `{Shorten(value)}`: use letters, digits, `-` and `_`";

    /// <summary><c>--format</c> is not one of the formats.</summary>
    public static string InvalidFormat(string value) => $"invalid value `{Shorten(value)}` for `--format`: use `human`, `json` or `csv`";

    /// <summary><c>--database</c> is not a name.</summary>
    public static string InvalidDatabase(string value) => $"invalid database name `{Shorten(value)}`: use letters, digits, `-` and `_`";

    /// <summary>A text flag (<c>--name</c>, <c>--reason</c>) was blank.</summary>
    public static string TextFlagBlank(string flag, string valueName) => $"flag `--{flag}` needs a value: `--{flag} {valueName}`";

    /// <summary>A text flag was longer than allowed.</summary>
    public static string TextFlagTooLong(string flag, int length, int max) => $"`--{flag}` is too long ({length} characters; at most {max})";

    /// <summary><c>--limit</c> is not a whole number.</summary>
    public static string LimitNotNumber(string value, int min, int max) =>
        $"invalid value `{Shorten(value)}` for `--limit`: use a whole number from {min} to {max}";

    /// <summary><c>--limit</c> is out of range.</summary>
    public static string LimitOutOfRange(string value, int min, int max) => $"`--limit` must be from {min} to {max}, not `{Shorten(value)}`";

    /// <summary><c>access extend</c> without <c>--for</c>.</summary>
    public const string ExtendNeedsFor = "missing `--for`: say how much longer the grant should last, like `--for 1h`";

    /// <summary><c>rotate --cancel</c> with <c>--grace</c>.</summary>
    public const string CancelTakesNoGrace = "`--cancel` stops a scheduled deletion, so it takes no `--grace`: give one or the other";

    /// <summary><c>rotate --grace</c> past the longest allowed.</summary>
    public static string GraceTooLong(TimeSpan max) =>
        $"`--grace` is too long: the old token may keep working at most {max.TotalDays:0} days; rotate with a shorter grace";

    // ---- commands ----

    /// <summary>An unknown first word; <paramref name="suggestion"/> when one is close.</summary>
    public static string UnknownCommand(string typed, string? suggestion) =>
        suggestion is null
            ? $"unknown command `{Shorten(typed)}`: type `help` to see the commands"
            : $"unknown command `{Shorten(typed)}`: did you mean `{suggestion}`?";

    /// <summary>An unknown word after a family prefix; <paramref name="suggestion"/> when one is close.</summary>
    public static string UnknownFamilyCommand(string typed, string familyWord, string? suggestion) =>
        suggestion is null
            ? $"unknown command `{Shorten(typed)}` for `{familyWord}`: type `help {familyWord}` to see its commands"
            : $"unknown command `{Shorten(typed)}` for `{familyWord}`: did you mean `{suggestion}`?";

    /// <summary>A family's command typed without its family word (<c>add-access</c> for <c>service-token add-access</c>).</summary>
    public static string NeedsFamilyWord(string typed, CommandSpec spec)
    {
        var family = spec.Family == CommandFamily.ServiceToken ? CommandGrammar.ServiceTokenWord : CommandGrammar.AccessWord;
        var article = spec.Family == CommandFamily.Access ? "an" : "a";
        return $"`{typed}` is {article} `{family}` command: type `{spec.Path}`";
    }

    /// <summary><c>help</c> was given more than one topic.</summary>
    public const string HelpTakesOneTopic = "`help` takes one topic, like `help add-access` or `help access approve`";

    /// <summary>A command the grammar knows but no builder makes.</summary>
    public static string CannotRun(CommandSpec spec) => $"`{spec.Path}` cannot be run";

    // ---- arguments ----

    /// <summary>Arguments left over after a command's own.</summary>
    public static string TooManyArguments(CommandSpec spec, IReadOnlyList<string> extra) =>
        $"too many arguments for `{spec.Path}`: unexpected {string.Join(" ", extra.Take(5).Select(e => $"`{Shorten(e)}`"))}{(extra.Count > 5 ? " …" : string.Empty)}";

    /// <summary><c>add-access</c> or <c>delete-access</c> with no arguments.</summary>
    public static string MissingTokenAndPermission(CommandSpec spec, string verb) =>
        $"missing TOKEN_ID and PERMISSION: `{spec.Path}` needs a token ID and at least one permission to {verb}, like `{spec.Path} hnmkbklsndgi read_branch --database <name>`";

    /// <summary>A token ID with no permission after it.</summary>
    public static string MissingPermission(string verb) => $"missing PERMISSION: name at least one permission to {verb}, like `read_branch`";

    /// <summary>A token command with no token ID.</summary>
    public static string MissingTokenId(CommandSpec spec) =>
        $"missing TOKEN_ID: `{spec.Path}` needs the ID of a token (`service-token list` shows them)";

    /// <summary>A token secret where the token ID goes.</summary>
    public const string SecretAsTokenId =
        "that is a service-token secret (`pscale_tkn_…`), not a token ID, so nothing was run. " +
        "Token IDs are 12 lower-case letters and digits, like `hnmkbklsndgi`; `service-token list` shows them.";

    /// <summary>A placeholder (<c>&lt;TOKEN_ID&gt;</c>) copied from help.</summary>
    public static string PlaceholderTokenId(string value) => $"replace `{Shorten(value)}` with a real token ID (`service-token list` shows them)";

    /// <summary>A token ID of the wrong shape.</summary>
    public static string InvalidTokenId(string value) =>
        $"invalid token ID `{Shorten(value)}`: token IDs are 12 lower-case letters and digits, like `hnmkbklsndgi`";

    /// <summary>An access command with no request or grant ID.</summary>
    public static string MissingRecordId(CommandSpec spec, string placeholder, string what) =>
        $"missing {placeholder}: `{spec.Path}` needs the ID of a {what} (`access list` shows them)";

    /// <summary>A request or grant ID of the wrong shape.</summary>
    public static string InvalidRecordId(string what, string value) => $"invalid {what} ID `{Shorten(value)}`: use the ID `access list` shows";
}
