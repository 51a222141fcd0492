using System.Text;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.PlanetScale;

namespace PscaleBot.Commands.Results.Rendering;

/// <summary>Results as people read them, in the CLI's table style (<see cref="TablePrinter"/>).</summary>
public sealed class HumanTextFormatter(TimeProvider time)
{
    /// <summary>The text of <paramref name="result"/>.</summary>
    public string Format(CommandResult result) => result switch
    {
        TokenTable table => Tokens(table),
        PermissionTable table => Permissions(table),
        MessageResult message => message.Text,
        ErrorResult error => Error(error),
        HelpResult help => help.Text.TrimEnd(),
        WhoAmIResult whoAmI => WhoAmI(whoAmI),
        DryRunResult dryRun => DryRun(dryRun),
        AuditTable audit => Audit(audit),
        AccessListResult access => access.ToText(),
        _ => throw new ArgumentOutOfRangeException(nameof(result), result.GetType().Name, "No human rendering for this result."),
    };

    /// <summary>How a permission is shown in a table cell: <c>+name</c> just added, <c>-name</c> just removed.</summary>
    public static string Marked(PermissionEntry entry) => entry.Change switch
    {
        PermissionChange.Added => "+" + entry.Name,
        PermissionChange.Removed => "-" + entry.Name,
        _ => entry.Name,
    };

    /// <summary>The resource type as the API and CLI spell it.</summary>
    public static string ResourceTypeName(ResourceKind kind) => kind == ResourceKind.Organization ? "Organization" : "Database";

    private string Tokens(TokenTable table)
    {
        var now = time.GetUtcNow();
        if (table.Kind == TokenTableKind.Created)
        {
            return TablePrinter.Render(
                ["ID", "NAME", "TOKEN", "EXPIRES AT", "CREATED AT"],
                [.. table.Tokens.Select(t => (IReadOnlyList<string>)[
                    t.Id, t.Name ?? "", t.Secret?.Reveal() ?? "", RelativeTime.Describe(t.ExpiresAt, now), RelativeTime.Describe(t.CreatedAt, now)])]);
        }

        return TablePrinter.Render(
            ["ID", "NAME", "LAST USED AT", "EXPIRES AT", "CREATED AT"],
            [.. table.Tokens.Select(t => (IReadOnlyList<string>)[
                t.Id, t.Name ?? "", RelativeTime.Describe(t.LastUsedAt, now), RelativeTime.Describe(t.ExpiresAt, now), RelativeTime.Describe(t.CreatedAt, now)])]);
    }

    private static string Permissions(PermissionTable table)
    {
        var text = TablePrinter.Render(
            ["RESOURCE NAME", "RESOURCE TYPE", "ACCESSES"],
            [.. table.Rows.Select(r => (IReadOnlyList<string>)[
                r.ResourceName, ResourceTypeName(r.ResourceKind), string.Join(", ", r.Permissions.Select(Marked))])]);
        var entries = table.Rows.SelectMany(r => r.Permissions).ToList();
        List<string> legend = [];
        if (entries.Any(e => e.Change == PermissionChange.Added))
        {
            legend.Add("+ marks access just added");
        }

        if (entries.Any(e => e.Change == PermissionChange.Removed))
        {
            legend.Add("- marks access just removed");
        }

        return legend.Count == 0 ? text : $"{text}\n\n{string.Join("; ", legend)}.";
    }

    private static string Error(ErrorResult error)
    {
        var text = new StringBuilder("Error: ").Append(error.Message);
        if (!string.IsNullOrWhiteSpace(error.Hint))
        {
            text.Append('\n').Append(error.Hint);
        }

        if (!string.IsNullOrWhiteSpace(error.Usage))
        {
            var usage = error.Usage.TrimEnd();
            text.Append("\n\n").Append(usage.StartsWith("Usage:", StringComparison.Ordinal) ? usage : "Usage:\n  " + usage);
        }

        return text.ToString();
    }

    private static string WhoAmI(WhoAmIResult whoAmI)
    {
        var caller = whoAmI.Caller;
        var place = whoAmI.Place;
        List<(string Label, string Value)> lines =
        [
            ("User", $"{caller.DisplayName} ({caller.UserId})"),
            ("Groups", caller.GroupIds.Count == 0 ? "none" : string.Join(", ", caller.GroupIds)),
            ("Place", $"{place.DisplayName} ({string.Join(", ", place.Ids)}){(place.IsDirect ? ", direct" : "")}"),
            ("Organization", whoAmI.Organization),
            ("Roles here", whoAmI.Roles.Count == 0 ? "none (you may run help and whoami)" : string.Join(", ", whoAmI.Roles)),
        ];
        return Labelled(lines);
    }

    private static string DryRun(DryRunResult dryRun)
    {
        List<(string Label, string Value)> lines =
        [
            ("Decision", dryRun.Decision),
            ("Request", $"{dryRun.Method} {dryRun.Path}"),
        ];
        if (dryRun.Body is not null)
        {
            lines.Add(("Body", dryRun.Body));
        }

        return "Dry run: nothing was sent to PlanetScale.\n" + Labelled(lines);
    }

    private string Audit(AuditTable audit)
    {
        var now = time.GetUtcNow();
        return TablePrinter.Render(
            ["TIME", "PLATFORM", "PLACE", "USER", "COMMAND", "DECISION", "REASON", "OUTCOME"],
            [.. audit.Entries.Select(e => (IReadOnlyList<string>)[
                RelativeTime.Describe(e.Time, now), e.Platform, e.Place, e.UserId, Shorten(e.Command), e.Decision, Shorten(e.Reason ?? ""), Shorten(e.Outcome)])]);
    }

    // One long denial reason would stretch every row of a chat table; JSON and CSV keep the full text.
    private static string Shorten(string text) => text.Length <= AuditCellWidth ? text : text[..(AuditCellWidth - 1)] + "…";

    private const int AuditCellWidth = 80;

    private static string Labelled(IReadOnlyList<(string Label, string Value)> lines)
    {
        var width = lines.Max(l => l.Label.Length) + 1;
        return string.Join('\n', lines.Select(l => $"{(l.Label + ":").PadRight(width)}  {l.Value}"));
    }
}
