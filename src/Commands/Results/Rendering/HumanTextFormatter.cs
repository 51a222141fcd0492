using System.Text;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Results.Tables;

namespace PscaleBot.Commands.Results.Rendering;

/// <summary>Results as people read them, in the CLI's table style (<see cref="TablePrinter"/>).</summary>
public sealed class HumanTextFormatter(TimeProvider time)
{
    /// <summary>The text of <paramref name="result"/>.</summary>
    public string Format(CommandResult result) => result switch
    {
        TokenTable or PermissionTable or AuditTable or AccessListResult or StaleTokenTable => TableViewText.Render(TableViews.For(result)!, time.GetUtcNow()),
        MessageResult message => message.Text,
        ErrorResult error => Error(error),
        HelpResult help => help.Text.TrimEnd(),
        WhoAmIResult whoAmI => WhoAmI(whoAmI),
        DryRunResult dryRun => DryRun(dryRun),
        AuditChainResult chain => chain.Sentence,
        _ => throw new ArgumentOutOfRangeException(nameof(result), result.GetType().Name, "No human rendering for this result."),
    };

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

    private static string Labelled(IReadOnlyList<(string Label, string Value)> lines)
    {
        var width = lines.Max(l => l.Label.Length) + 1;
        return string.Join('\n', lines.Select(l => $"{(l.Label + ":").PadRight(width)}  {l.Value}"));
    }
}
