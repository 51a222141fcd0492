namespace PscaleBot.Commands.Grammar;

/// <summary>One flag: its name without dashes, optional one-letter form, value type (null for a switch) and help text.</summary>
internal sealed record FlagSpec(string Name, char? Shorthand, string? ValueType, string ValueName, string Description)
{
    /// <summary>True when the flag takes a value.</summary>
    public bool TakesValue => ValueType is not null;

    /// <summary><c>--name</c>.</summary>
    public string Display => "--" + Name;
}

/// <summary>Which family a command belongs to, for help grouping.</summary>
internal enum CommandFamily
{
    /// <summary><c>service-token …</c>, the CLI's grammar.</summary>
    ServiceToken,
    /// <summary><c>access …</c>: time-bound access requests.</summary>
    Access,
    /// <summary>The bot's own commands.</summary>
    Bot,
}

/// <summary>
/// One command of the grammar: how it is typed, what the CLI's help calls it, which flags it takes.
/// <see cref="PolicyName"/> doubles as its help topic.
/// </summary>
internal sealed record CommandSpec(
    string PolicyName,
    CommandFamily Family,
    string Path,
    string Short,
    string Arguments,
    IReadOnlyList<FlagSpec> Flags,
    string? Long = null,
    string? Examples = null)
{
    /// <summary>The word typed after the family prefix (<c>add-access</c>, <c>approve</c>, <c>whoami</c>).</summary>
    public string Word => Path[(Path.LastIndexOf(' ') + 1)..];

    /// <summary>The usage line every parse error about this command carries.</summary>
    public string Usage => $"Usage: {Path}{(Arguments.Length > 0 ? " " + Arguments : string.Empty)} [flags]";

    /// <summary>True when <paramref name="name"/> is one of this command's own flags or a common flag.</summary>
    public bool Accepts(string name) =>
        Flags.Any(f => f.Name == name) || CommandGrammar.CommonFlags.Any(f => f.Name == name);
}

/// <summary>The whole grammar: the <c>pscale service-token</c> sub-commands plus the bot's own commands.</summary>
internal static class CommandGrammar
{
    /// <summary>The family prefix of the CLI's commands.</summary>
    public const string ServiceTokenWord = "service-token";

    /// <summary>The family prefix of the access-request commands.</summary>
    public const string AccessWord = "access";

    /// <summary>The usage line for the tool as a whole.</summary>
    public const string GeneralUsage =
        "Usage: service-token <command> [flags] | access <command> [flags] | whoami | audit [--limit N] | help [topic]";

    /// <summary>The usage line of the <c>service-token</c> family.</summary>
    public const string ServiceTokenUsage = "Usage: service-token <command> [flags]";

    /// <summary>The usage line of the <c>access</c> family.</summary>
    public const string AccessUsage = "Usage: access <command> [flags]";

    /// <summary>Default and bounds of <c>audit --limit</c>.</summary>
    public const int AuditDefaultLimit = 20, AuditMinLimit = 1, AuditMaxLimit = 500;

    /// <summary>Longest <c>--reason</c> accepted: it goes into audit entries and approval cards.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>Default <c>rotate --grace</c>: the old token keeps working this long.</summary>
    public static readonly TimeSpan RotationDefaultGrace = TimeSpan.FromHours(1);

    /// <summary>Longest <c>rotate --grace</c>: a retired token should not linger for weeks.</summary>
    public static readonly TimeSpan RotationMaxGrace = TimeSpan.FromDays(30);

    private const string RotationMaxGraceText = "30d";

    /// <summary>Default <c>stale --unused-for</c>.</summary>
    public static readonly TimeSpan StaleDefaultUnusedFor = TimeSpan.FromDays(90);

    /// <summary>Longest <c>--name</c> accepted for a new token.</summary>
    public const int MaxNameLength = 255;

    /// <summary>Flags every command accepts (cobra's "Global Flags"); <c>--help</c> is listed per command.</summary>
    public static readonly IReadOnlyList<FlagSpec> CommonFlags =
    [
        new("org", null, "string", "ORG", "The organization for the current user (default: the bot's configured organization)"),
        new("format", 'f', "string", "FORMAT", "Show output in a specific format. Possible values: [human, json, csv]"),
        new("debug", null, null, "", "Enable debug mode: add request ids and timings to the answer"),
        new("dry-run", null, null, "", "Show the decision and the API call a change would make, without making it"),
        new("public", null, null, "", "Post a read's answer to the channel instead of only to you"),
    ];

    /// <summary><c>-h, --help</c>.</summary>
    public static readonly FlagSpec HelpFlag = new("help", 'h', null, "", "help for this command");

    private static readonly FlagSpec ForFlag =
        new("for", null, "duration", "DURATION", "Make the grant time-bound: it is revoked after this long (3600, 90m, 2h, 7d, 1h30m)");

    private static readonly FlagSpec ReasonFlag =
        new("reason", null, "string", "\"…\"", "Why: shown to approvers and kept in the audit log");

    /// <summary>Every command, in help order.</summary>
    public static readonly IReadOnlyList<CommandSpec> Commands =
    [
        new("create", CommandFamily.ServiceToken, "service-token create",
            "create a service token for the organization",
            "[--name NAME] [--ttl TTL]",
            [
                new("name", null, "string", "NAME", "optional name for the service token"),
                new("ttl", null, "duration", "TTL", "optional lifetime of the token, in seconds (3600) or as a duration (90m, 2h, 7d, 1h30m)"),
            ],
            Long: "The new token's secret is shown once, only to you. Store it safely: it cannot be shown again."),
        new("list", CommandFamily.ServiceToken, "service-token list",
            "list service tokens for the organization", "", []),
        new("show", CommandFamily.ServiceToken, "service-token show",
            "show a service token in the organization", "<TOKEN_ID>", []),
        new("delete", CommandFamily.ServiceToken, "service-token delete",
            "delete an entire service token in an organization", "<TOKEN_ID>", []),
        new("add-access", CommandFamily.ServiceToken, "service-token add-access",
            "add access to a service token in the organization",
            "<TOKEN_ID> <PERMISSION>... [--database DB]",
            [
                new("database", null, "string", "DB", "The database to add access to"),
                ForFlag,
                ReasonFlag,
                new("break-glass", null, null, "", "Grant at once, skipping approval where the policy allows it (loudly announced)"),
            ],
            Long: "Permissions may be separated by spaces or commas. Database permissions need --database; organization permissions must not have it.",
            Examples:
                "The add-access command grants a service token access on a database or organization.\n\n" +
                "For example, to give a service token the ability to create, read and delete branches on a specific database:\n\n" +
                "  pscale service-token add-access <token id> read_branch delete_branch create_branch --database <database name>\n\n" +
                "To give a service token the ability to create and delete databases within the current organization:\n\n" +
                "  pscale service-token add-access <token id> delete_databases create_databases\n\n" +
                "For a complete list of the access permissions that can be granted to a token, type: help permissions"),
        new("delete-access", CommandFamily.ServiceToken, "service-token delete-access",
            "delete access granted to a service token in the organization",
            "<TOKEN_ID> <PERMISSION>... [--database DB]",
            [new("database", null, "string", "DB", "The database to remove access to")],
            // The CLI's own organization example says add-access here (a typo); this one says what it means.
            Examples:
                "The delete-access command removes an access grant from a service token.\n\n" +
                "For example, to remove access for a specific database, include the --database flag:\n\n" +
                "  pscale service-token delete-access <token id> read_branch --database <database name>\n\n" +
                "To remove an organization level grant:\n\n" +
                "  pscale service-token delete-access <token id> delete_databases"),
        new("show-access", CommandFamily.ServiceToken, "service-token show-access",
            "fetch a service token and its accesses", "<TOKEN_ID>", []),
        new("rotate", CommandFamily.ServiceToken, "service-token rotate",
            "replace a service token with a new one holding the same name, lifetime and grants",
            "<TOKEN_ID> [--grace DURATION] [--cancel]",
            [
                new("grace", null, "duration", "DURATION", $"How long the old token keeps working before the bot deletes it (at most {RotationMaxGraceText}, default 1h)"),
                new("cancel", null, null, "", "Cancel the scheduled deletion of this (old) token instead of rotating it"),
            ],
            Long: "The new token's secret is shown once, only to you. The old token is deleted when the grace period ends, "
                + "unless `service-token rotate <OLD_TOKEN_ID> --cancel` is run first. If a grant cannot be copied, nothing is "
                + "scheduled: the answer says what the new token holds and what to do."),
        new("stale", CommandFamily.ServiceToken, "service-token stale",
            "list tokens not used for a while (or never used), with their grants and expiry",
            "[--unused-for DURATION]",
            [new("unused-for", null, "duration", "DURATION", "How long without use makes a token stale (default 90d)")]),

        new("help", CommandFamily.Bot, "help",
            "Help about any command", "[topic]", []),
        new("whoami", CommandFamily.Bot, "whoami",
            "show who you are, where you are, and your roles here", "", []),
        new("audit", CommandFamily.Bot, "audit",
            "show recent audit entries", "[--limit N]",
            [
                new("limit", null, "int", "N", $"How many recent entries to show ({AuditMinLimit}-{AuditMaxLimit}, default {AuditDefaultLimit})"),
                new("source", null, "string", "SOURCE", "Whose log: bot (default), or planetscale for the organization's service-token events (needs read_audit_logs)"),
            ]),
        new("audit-verify", CommandFamily.Bot, "audit verify",
            "check the audit log's hash chain and name the first row that does not match", "", [],
            Long: "Walks every row of the bot's audit store in order, recomputing each row's hash and its link to the row before it. " +
                  "Rows written before the chain existed are counted as unchained."),

        new("access-list", CommandFamily.Access, "access list",
            "list pending access requests and active time-bound grants", "", []),
        new("access-approve", CommandFamily.Access, "access approve",
            "approve a pending access request", "<REQUEST_ID>", []),
        new("access-deny", CommandFamily.Access, "access deny",
            "deny a pending access request", "<REQUEST_ID> [--reason \"…\"]",
            [new("reason", null, "string", "\"…\"", "Why the request is denied: shown to the requester")]),
        new("access-revoke", CommandFamily.Access, "access revoke",
            "revoke an active time-bound grant now", "<GRANT_ID>", []),
        new("access-extend", CommandFamily.Access, "access extend",
            "extend an active time-bound grant", "<GRANT_ID> --for DURATION [--reason \"…\"]",
            [new("for", null, "duration", "DURATION", "How much longer the grant lasts (3600, 90m, 2h, 1h30m)"), ReasonFlag]),
        new("access-cancel", CommandFamily.Access, "access cancel",
            "cancel your own pending access request", "<REQUEST_ID>", []),
    ];

    /// <summary>
    /// Names older CLI versions used (<c>show-access</c> was once aliased <c>get-access</c>): not accepted,
    /// since the current CLI does not accept them, but suggested.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> FormerNames =
        new Dictionary<string, string>(StringComparer.Ordinal) { ["get-access"] = "show-access", ["get"] = "show" };

    /// <summary>Every flag any command knows, by name (first definition wins for help text).</summary>
    public static readonly IReadOnlyDictionary<string, FlagSpec> AllFlags = BuildAllFlags();

    /// <summary>The command with this policy name, or null.</summary>
    public static CommandSpec? ByPolicyName(string policyName) =>
        Commands.FirstOrDefault(c => c.PolicyName == policyName);

    /// <summary>The commands of one family.</summary>
    public static IEnumerable<CommandSpec> InFamily(CommandFamily family) => Commands.Where(c => c.Family == family);

    private static Dictionary<string, FlagSpec> BuildAllFlags()
    {
        var all = new Dictionary<string, FlagSpec>(StringComparer.Ordinal);
        foreach (var flag in CommonFlags.Append(HelpFlag).Concat(Commands.SelectMany(c => c.Flags)))
        {
            all.TryAdd(flag.Name, flag);
        }

        return all;
    }
}
