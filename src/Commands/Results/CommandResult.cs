using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.PlanetScale;

namespace PscaleBot.Commands.Results;

/// <summary>
/// What a command produced, independent of how it is shown. Every renderer (text, JSON, CSV,
/// Block Kit, Adaptive Card) is fed from these records.
/// </summary>
public abstract record CommandResult;

/// <summary>What a token table answers.</summary>
public enum TokenTableKind
{
    /// <summary><c>list</c>.</summary>
    List,
    /// <summary><c>show</c>.</summary>
    Show,
    /// <summary><c>create</c>: the row carries the secret, so it may only be shown privately.</summary>
    Created,
}

/// <summary>A table of tokens.</summary>
public sealed record TokenTable(string Organization, TokenTableKind Kind, IReadOnlyList<ServiceToken> Tokens) : CommandResult
{
    /// <summary>True when a row carries a secret.</summary>
    public bool ContainsSecret => Tokens.Any(t => t.Secret is not null);
}

/// <summary>How a command changed one permission.</summary>
public enum PermissionChange
{
    /// <summary>Held before and after.</summary>
    Unchanged,
    /// <summary>Just added.</summary>
    Added,
    /// <summary>Just removed (shown so people see what went).</summary>
    Removed,
}

/// <summary>One permission in a permission table.</summary>
public sealed record PermissionEntry(string Name, PermissionChange Change = PermissionChange.Unchanged);

/// <summary>One row of a permission table: a resource and what the token may do on it.</summary>
public sealed record PermissionRow(string ResourceName, ResourceKind ResourceKind, IReadOnlyList<PermissionEntry> Permissions);

/// <summary>
/// A token's permissions on every resource, rows sorted databases by name first, then the
/// organization, with the permissions a command just added or removed marked.
/// </summary>
public sealed record PermissionTable(string Organization, string TokenId, IReadOnlyList<PermissionRow> Rows) : CommandResult;

/// <summary>The tone of a message.</summary>
public enum MessageTone
{
    /// <summary>Plain information.</summary>
    Info,
    /// <summary>A change succeeded.</summary>
    Success,
    /// <summary>Something the caller must act on (an exposed secret, for instance).</summary>
    Warning,
}

/// <summary>A sentence for the caller (<c>Token was successfully deleted.</c>).</summary>
public sealed record MessageResult(string Text, MessageTone Tone = MessageTone.Info) : CommandResult;

/// <summary>Why a command failed.</summary>
public enum ErrorCategory
{
    /// <summary>The input did not parse.</summary>
    Usage,
    /// <summary>The policy denied it.</summary>
    Denied,
    /// <summary>PlanetScale refused or failed.</summary>
    Api,
    /// <summary>The bot itself failed (never with internals in the message).</summary>
    Internal,
}

/// <summary>An error worded for a person: what was wrong, and what to type instead.</summary>
/// <param name="Message">What was wrong.</param>
/// <param name="Hint">What to do instead, if anything.</param>
/// <param name="Usage">The usage line to show, if any.</param>
/// <param name="Category">Which step failed.</param>
public sealed record ErrorResult(string Message, string? Hint, string? Usage, ErrorCategory Category) : CommandResult;

/// <summary>Help text in the CLI's cobra style (usage, sub-command table, flags).</summary>
public sealed record HelpResult(string Text) : CommandResult;

/// <summary>The caller's identity, place and roles here (<c>whoami</c>).</summary>
public sealed record WhoAmIResult(ChatIdentity Caller, ChatPlace Place, IReadOnlyList<string> Roles, string Organization) : CommandResult;

/// <summary>What a mutating command would do (<c>--dry-run</c>), without doing it.</summary>
/// <param name="Decision">The policy decision, worded.</param>
/// <param name="Method">The HTTP method it would send.</param>
/// <param name="Path">The API path it would call.</param>
/// <param name="Body">The JSON body it would send, if any.</param>
public sealed record DryRunResult(string Decision, string Method, string Path, string? Body) : CommandResult;

/// <summary>Recent audit entries (<c>audit</c>).</summary>
public sealed record AuditTable(IReadOnlyList<AuditEntry> Entries) : CommandResult;

/// <summary>What <c>audit verify</c> found (<see cref="AuditChainReport"/>), worded once for every renderer.</summary>
public sealed record AuditChainResult(AuditChainReport Report) : CommandResult
{
    /// <summary>
    /// <c>Audit chain intact: N rows (M unchained pre-chain rows).</c>, or
    /// <c>Audit chain broken at row 5 (…): its contents no longer match its hash. 4 rows before it verified.</c>
    /// </summary>
    public string Sentence => Report.Break is { } bad
        ? $"Audit chain broken at {bad.Detail[..^1]} ({KindWord(bad.Kind)}). {Rows(Report.Checked)} before it verified; nothing after it was checked."
        : $"Audit chain intact: {Rows(Report.Checked)} ({Report.Unchained} unchained pre-chain {(Report.Unchained == 1 ? "row" : "rows")}).";

    /// <summary>The machine name of the break's kind (<c>changed</c>, <c>deleted</c>, <c>inserted</c>).</summary>
    public static string KindWord(AuditChainBreakKind kind) => kind.ToString().ToLowerInvariant();

    private static string Rows(long count) => count == 1 ? "1 row" : $"{count} rows";
}
