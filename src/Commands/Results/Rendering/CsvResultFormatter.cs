using PscaleBot.Commands.Access;

namespace PscaleBot.Commands.Results.Rendering;

/// <summary>
/// Results as RFC 4180 CSV (<see cref="CsvTableWriter"/>) with a header record. Headers keep the CLI's
/// names (<c>ID,Name,LastUsedAt,ExpiresAt,CreatedAt</c>; <c>ResourceName,ResourceType,Accesses</c>) but,
/// unlike the CLI, every column carries its value: timestamps are ISO-8601 UTC (not epoch milliseconds;
/// empty when there is none) and a row's accesses are joined with <c>;</c> in one field, followed by
/// <c>Added</c> and <c>Removed</c> columns for what the command just changed. Results that are not tables
/// (messages, errors, help, whoami, dry runs) are one-record tables of their fields. <c>access list</c> is one
/// record per pending request or active grant (<c>Database</c> empty for organization-level).
/// </summary>
public sealed class CsvResultFormatter
{
    private const string ListSeparator = ";";

    /// <summary>The CSV text of <paramref name="result"/>.</summary>
    public string Format(CommandResult result) => result switch
    {
        TokenTable table when table.Kind == TokenTableKind.Created => CsvTableWriter.Write(
            ["ID", "Name", "Token", "ExpiresAt", "CreatedAt"],
            table.Tokens.Select(t => (IReadOnlyList<string?>)[t.Id, t.Name, t.Secret?.Reveal(), IsoTime.Format(t.ExpiresAt), IsoTime.Format(t.CreatedAt)])),
        TokenTable table => CsvTableWriter.Write(
            ["ID", "Name", "LastUsedAt", "ExpiresAt", "CreatedAt"],
            table.Tokens.Select(t => (IReadOnlyList<string?>)[t.Id, t.Name, IsoTime.Format(t.LastUsedAt), IsoTime.Format(t.ExpiresAt), IsoTime.Format(t.CreatedAt)])),
        PermissionTable table => CsvTableWriter.Write(
            ["ResourceName", "ResourceType", "Accesses", "Added", "Removed"],
            table.Rows.Select(r => (IReadOnlyList<string?>)[
                r.ResourceName,
                HumanTextFormatter.ResourceTypeName(r.ResourceKind),
                Join(r.Permissions.Where(p => p.Change != PermissionChange.Removed)),
                Join(r.Permissions.Where(p => p.Change == PermissionChange.Added)),
                Join(r.Permissions.Where(p => p.Change == PermissionChange.Removed))])),
        MessageResult message => CsvTableWriter.Write(["Message", "Tone"], [[message.Text, message.Tone.ToString().ToLowerInvariant()]]),
        ErrorResult error => CsvTableWriter.Write(
            ["Status", "Category", "Error", "Hint", "Usage"],
            [["error", error.Category.ToString().ToLowerInvariant(), error.Message, error.Hint, error.Usage]]),
        HelpResult help => CsvTableWriter.Write(["Help"], [[help.Text]]),
        WhoAmIResult whoAmI => CsvTableWriter.Write(
            ["UserId", "DisplayName", "Platform", "Groups", "Place", "Organization", "Roles"],
            [[
                whoAmI.Caller.UserId, whoAmI.Caller.DisplayName, whoAmI.Caller.Platform.ToString().ToLowerInvariant(),
                string.Join(ListSeparator, whoAmI.Caller.GroupIds), whoAmI.Place.PrimaryId, whoAmI.Organization,
                string.Join(ListSeparator, whoAmI.Roles),
            ]]),
        DryRunResult dryRun => CsvTableWriter.Write(["Decision", "Method", "Path", "Body"], [[dryRun.Decision, dryRun.Method, dryRun.Path, dryRun.Body]]),
        AuditTable audit => CsvTableWriter.Write(
            ["Time", "Platform", "Place", "UserId", "Command", "Decision", "Reason", "Outcome", "RequestIds"],
            audit.Entries.Select(e => (IReadOnlyList<string?>)[
                IsoTime.Format(e.Time), e.Platform, e.Place, e.UserId, e.Command, e.Decision, e.Reason, e.Outcome, string.Join(ListSeparator, e.RequestIds)])),
        AccessListResult access => CsvTableWriter.Write(
            ["Kind", "ID", "Status", "Requester", "Organization", "TokenID", "Database", "Permissions", "Until", "Note"],
            access.OrderedRows.Select(r => (IReadOnlyList<string?>)[
                r.Kind == AccessListRowKind.Request ? "request" : "grant", r.Id, r.Status, r.Requester, r.Target.Organization,
                r.Target.TokenId, r.Target.Database, string.Join(ListSeparator, r.Target.Permissions), IsoTime.Format(r.Until), r.Note])),
        _ => throw new ArgumentOutOfRangeException(nameof(result), result.GetType().Name, "No CSV rendering for this result."),
    };

    private static string Join(IEnumerable<PermissionEntry> entries) => string.Join(ListSeparator, entries.Select(e => e.Name));
}
