namespace PscaleBot.Commands.Grammar;

/// <summary>The <c>--format</c> flag of the CLI.</summary>
public enum OutputFormat
{
    /// <summary>Tables as people read them (the CLI's default).</summary>
    Human,
    /// <summary>JSON in the CLI's shapes.</summary>
    Json,
    /// <summary>RFC 4180 CSV.</summary>
    Csv,
}

/// <summary>Flags every sub-command accepts.</summary>
/// <param name="Org">The <c>--org</c> value, or null to use the configured default.</param>
/// <param name="Format">The <c>--format</c> value.</param>
/// <param name="DryRun"><c>--dry-run</c>: show the decision and the API call without making it.</param>
/// <param name="Debug"><c>--debug</c>: add request ids and timings to the answer.</param>
/// <param name="Public"><c>--public</c>: post a read's answer to the channel instead of privately.</param>
public sealed record CommonOptions(
    string? Org = null,
    OutputFormat Format = OutputFormat.Human,
    bool DryRun = false,
    bool Debug = false,
    bool Public = false)
{
    /// <summary>No flags given.</summary>
    public static CommonOptions Default { get; } = new();
}

/// <summary>A parsed command. <see cref="PolicyName"/> is how the policy file names it.</summary>
public abstract record BotCommand(CommonOptions Options)
{
    /// <summary>The sub-command as the policy file spells it (<c>add-access</c>, <c>access-approve</c>).</summary>
    public abstract string PolicyName { get; }

    /// <summary>True when running it changes state at PlanetScale or in the bot.</summary>
    public virtual bool IsMutating => false;
}

/// <summary><c>service-token create [--name N] [--ttl T]</c>.</summary>
public sealed record CreateTokenCommand(CommonOptions Options, string? Name, TimeSpan? Ttl) : BotCommand(Options)
{
    /// <inheritdoc />
    public override string PolicyName => "create";
    /// <inheritdoc />
    public override bool IsMutating => true;
}

/// <summary><c>service-token list</c>.</summary>
public sealed record ListTokensCommand(CommonOptions Options) : BotCommand(Options)
{
    /// <inheritdoc />
    public override string PolicyName => "list";
}

/// <summary><c>service-token show &lt;TOKEN_ID&gt;</c>.</summary>
public sealed record ShowTokenCommand(CommonOptions Options, string TokenId) : BotCommand(Options)
{
    /// <inheritdoc />
    public override string PolicyName => "show";
}

/// <summary><c>service-token delete &lt;TOKEN_ID&gt;</c>.</summary>
public sealed record DeleteTokenCommand(CommonOptions Options, string TokenId) : BotCommand(Options)
{
    /// <inheritdoc />
    public override string PolicyName => "delete";
    /// <inheritdoc />
    public override bool IsMutating => true;
}

/// <summary>
/// <c>service-token add-access &lt;TOKEN_ID&gt; &lt;PERMISSION&gt;... [--database DB] [--for 2h] [--reason "…"] [--break-glass]</c>.
/// </summary>
/// <param name="Options">Common flags.</param>
/// <param name="TokenId">The token.</param>
/// <param name="Permissions">Distinct, validated permission names.</param>
/// <param name="Database">The database for database-level permissions; null for organization-level ones.</param>
/// <param name="Duration"><c>--for</c>: a time-bound grant, revoked when it ends.</param>
/// <param name="Reason"><c>--reason</c>: why (required by some roles).</param>
/// <param name="BreakGlass"><c>--break-glass</c>: grant at once where the policy allows it, loudly.</param>
public sealed record AddAccessCommand(
    CommonOptions Options,
    string TokenId,
    IReadOnlyList<string> Permissions,
    string? Database,
    TimeSpan? Duration = null,
    string? Reason = null,
    bool BreakGlass = false) : BotCommand(Options)
{
    /// <inheritdoc />
    public override string PolicyName => "add-access";
    /// <inheritdoc />
    public override bool IsMutating => true;
}

/// <summary><c>service-token delete-access &lt;TOKEN_ID&gt; &lt;PERMISSION&gt;... [--database DB]</c>.</summary>
public sealed record DeleteAccessCommand(
    CommonOptions Options,
    string TokenId,
    IReadOnlyList<string> Permissions,
    string? Database) : BotCommand(Options)
{
    /// <inheritdoc />
    public override string PolicyName => "delete-access";
    /// <inheritdoc />
    public override bool IsMutating => true;
}

/// <summary><c>service-token show-access &lt;TOKEN_ID&gt;</c>.</summary>
public sealed record ShowAccessCommand(CommonOptions Options, string TokenId) : BotCommand(Options)
{
    /// <inheritdoc />
    public override string PolicyName => "show-access";
}

/// <summary>
/// <c>service-token rotate &lt;TOKEN_ID&gt; [--grace 1h] [--cancel]</c>: a new token with the old one's name, lifetime and
/// grants, and the old one deleted when the grace ends; or, with <c>--cancel</c>, that deletion called off.
/// </summary>
/// <param name="Options">Common flags.</param>
/// <param name="TokenId">The token to replace (or whose scheduled deletion to cancel).</param>
/// <param name="Grace">How long the old token keeps working.</param>
/// <param name="Cancel"><c>--cancel</c>.</param>
public sealed record RotateTokenCommand(CommonOptions Options, string TokenId, TimeSpan Grace, bool Cancel = false) : BotCommand(Options)
{
    /// <inheritdoc />
    public override string PolicyName => "rotate";
    /// <inheritdoc />
    public override bool IsMutating => true;

    /// <summary>
    /// One grant the new token would receive, when the handler asks the policy about it (the same role must allow
    /// the database and every permission, so rotating never hands out more than the rotator may grant); null for
    /// the command as typed.
    /// </summary>
    public RotationScope? Scope { get; init; }
}

/// <summary>One resource's permissions a rotation copies.</summary>
/// <param name="Database">The database, or null for the organization.</param>
/// <param name="Permissions">The permissions on it.</param>
public sealed record RotationScope(string? Database, IReadOnlyList<string> Permissions);

/// <summary><c>service-token stale [--unused-for 90d]</c>: tokens unused since the cut-off (or never used and older).</summary>
public sealed record StaleTokensCommand(CommonOptions Options, TimeSpan UnusedFor) : BotCommand(Options)
{
    /// <inheritdoc />
    public override string PolicyName => "stale";
}

/// <summary><c>help [sub-command]</c> or <c>&lt;sub-command&gt; --help</c>.</summary>
/// <param name="Options">Common flags.</param>
/// <param name="Topic">The sub-command asked about (<c>add-access</c>, <c>access</c>), or null for the overview.</param>
public sealed record HelpCommand(CommonOptions Options, string? Topic) : BotCommand(Options)
{
    /// <inheritdoc />
    public override string PolicyName => "help";
}

/// <summary><c>whoami</c>: the caller's identity, place and roles here.</summary>
public sealed record WhoAmICommand(CommonOptions Options) : BotCommand(Options)
{
    /// <inheritdoc />
    public override string PolicyName => "whoami";
}

/// <summary><c>audit [--limit N]</c>.</summary>
public sealed record AuditCommand(CommonOptions Options, int Limit) : BotCommand(Options)
{
    /// <inheritdoc />
    public override string PolicyName => "audit";
}

/// <summary>
/// <c>audit --source planetscale [--limit N]</c>: the organization's own audit log, service-token events only. Same policy
/// name as <c>audit</c>: whoever may read the bot's audit may read PlanetScale's about the same tokens.
/// </summary>
public sealed record PlanetScaleAuditCommand(CommonOptions Options, int Limit) : BotCommand(Options)
{
    /// <inheritdoc />
    public override string PolicyName => "audit";
}

/// <summary>
/// <c>audit verify</c>: checks the audit store's hash chain. A policy name of its own, so a security team may be given
/// verification (counts and the id of a bad row) without reading the entries themselves.
/// </summary>
public sealed record AuditVerifyCommand(CommonOptions Options) : BotCommand(Options)
{
    /// <inheritdoc />
    public override string PolicyName => "audit-verify";
}

/// <summary><c>access list</c>: pending requests and active grants the caller may see.</summary>
public sealed record AccessListCommand(CommonOptions Options) : BotCommand(Options)
{
    /// <inheritdoc />
    public override string PolicyName => "access-list";
}

/// <summary><c>access approve &lt;REQUEST_ID&gt;</c>.</summary>
public sealed record AccessApproveCommand(CommonOptions Options, string RequestId) : BotCommand(Options)
{
    /// <inheritdoc />
    public override string PolicyName => "access-approve";
    /// <inheritdoc />
    public override bool IsMutating => true;
}

/// <summary><c>access deny &lt;REQUEST_ID&gt; [--reason "…"]</c>.</summary>
public sealed record AccessDenyCommand(CommonOptions Options, string RequestId, string? Reason) : BotCommand(Options)
{
    /// <inheritdoc />
    public override string PolicyName => "access-deny";
    /// <inheritdoc />
    public override bool IsMutating => true;
}

/// <summary><c>access revoke &lt;GRANT_ID&gt;</c>.</summary>
public sealed record AccessRevokeCommand(CommonOptions Options, string GrantId) : BotCommand(Options)
{
    /// <inheritdoc />
    public override string PolicyName => "access-revoke";
    /// <inheritdoc />
    public override bool IsMutating => true;
}

/// <summary><c>access extend &lt;GRANT_ID&gt; --for 1h [--reason "…"]</c>.</summary>
public sealed record AccessExtendCommand(CommonOptions Options, string GrantId, TimeSpan Duration, string? Reason) : BotCommand(Options)
{
    /// <inheritdoc />
    public override string PolicyName => "access-extend";
    /// <inheritdoc />
    public override bool IsMutating => true;
}

/// <summary><c>access cancel &lt;REQUEST_ID&gt;</c> by the requester.</summary>
public sealed record AccessCancelCommand(CommonOptions Options, string RequestId) : BotCommand(Options)
{
    /// <inheritdoc />
    public override string PolicyName => "access-cancel";
    /// <inheritdoc />
    public override bool IsMutating => true;
}
