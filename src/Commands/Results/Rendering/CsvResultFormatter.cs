using PscaleBot.Commands.Access;
using PscaleBot.Commands.Results.Tables;

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

    private static string Invariant(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The CSV text of <paramref name="result"/>.</summary>
    public string Format(CommandResult result) => result switch
    {
        TokenTable or PermissionTable or AuditTable or AccessListResult or StaleTokenTable => TableViewMachine.Csv(TableViews.For(result)!),
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
        AuditChainResult chain => CsvTableWriter.Write(
            ["Status", "Checked", "Unchained", "BadRowId", "Problem", "Detail"],
            [[
                chain.Report.Ok ? "intact" : "broken", Invariant(chain.Report.Checked), Invariant(chain.Report.Unchained),
                chain.Report.Break is { } bad ? Invariant(bad.Id) : null,
                chain.Report.Break is { } kind ? AuditChainResult.KindWord(kind.Kind) : null,
                chain.Report.Break?.Detail,
            ]]),
        _ => throw new ArgumentOutOfRangeException(nameof(result), result.GetType().Name, "No CSV rendering for this result."),
    };
}
