using System.Globalization;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results.Rendering;

namespace PscaleBot.Commands.Results.Tables;

/// <summary>Where a table is shown to a person.</summary>
public enum TableMedium
{
    /// <summary>A terminal or plain text: the CLI's wording (relative times, blank for nothing).</summary>
    Terminal,

    /// <summary>A chat message, read later than it was posted: absolute times, and a word for nothing.</summary>
    Chat,
}

/// <summary>
/// One cell. A cell keeps its value typed, so each format can show it its own way: a person sees
/// <see cref="Display"/>, a machine format the raw value.
/// </summary>
public abstract record TableCell
{
    /// <summary>The cell as a person reads it in <paramref name="medium"/>, at <paramref name="now"/>.</summary>
    public abstract string Display(TableMedium medium, DateTimeOffset now);
}

/// <summary>Plain text; <paramref name="Value"/> null means "none".</summary>
/// <param name="Value">The value, or null.</param>
/// <param name="Placeholder">What a person sees instead of null (<c>organization</c> for an organization-wide grant).</param>
public sealed record TextCell(string? Value, string? Placeholder = null) : TableCell
{
    /// <inheritdoc/>
    public override string Display(TableMedium medium, DateTimeOffset now) => Value ?? Placeholder ?? "";
}

/// <summary>How a time is worded for people.</summary>
public enum TimeStyle
{
    /// <summary>When something happened or ends, as the CLI words it (<c>19 minutes ago</c>) in terminals, and absolute in chat.</summary>
    Moment,

    /// <summary>A deadline people act on: absolute, with how far away it is (<c>2026-11-28 12:30 UTC (in 30m)</c>).</summary>
    Deadline,
}

/// <summary>A point in time; null means never.</summary>
/// <param name="Value">The time, or null.</param>
/// <param name="Style">How people see it.</param>
public sealed record TimeCell(DateTimeOffset? Value, TimeStyle Style = TimeStyle.Moment) : TableCell
{
    /// <inheritdoc/>
    public override string Display(TableMedium medium, DateTimeOffset now)
    {
        if (Value is not { } at)
        {
            return medium == TableMedium.Chat ? "never" : "";
        }

        if (Style == TimeStyle.Deadline)
        {
            var left = at - now;
            return left > TimeSpan.Zero ? $"{Absolute(at)} (in {AccessText.Duration(left)})" : $"{Absolute(at)} ({AccessText.Duration(-left)} ago)";
        }

        return medium == TableMedium.Chat ? Absolute(at) : RelativeTime.Describe(at, now);
    }

    /// <summary>The time as chat shows it: minutes, in UTC.</summary>
    public static string Absolute(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}

/// <summary>A list of names (groups, request ids).</summary>
public sealed record ListCell(IReadOnlyList<string> Values) : TableCell
{
    /// <inheritdoc/>
    public override string Display(TableMedium medium, DateTimeOffset now) => string.Join(", ", Values);
}

/// <summary>A token's permissions on one resource, with what a command just added or removed marked.</summary>
public sealed record PermissionsCell(IReadOnlyList<PermissionEntry> Entries) : TableCell
{
    /// <summary>The marks' meaning, for a legend.</summary>
    public const string AddedLegend = "+ marks access just added", RemovedLegend = "- marks access just removed";

    /// <inheritdoc/>
    public override string Display(TableMedium medium, DateTimeOffset now) => string.Join(", ", Entries.Select(Marked));

    /// <summary>A permission as every format marks it: <c>+name</c> just added, <c>-name</c> just removed.</summary>
    public static string Marked(PermissionEntry entry) => entry.Change switch
    {
        PermissionChange.Added => "+" + entry.Name,
        PermissionChange.Removed => "-" + entry.Name,
        _ => entry.Name,
    };

    /// <summary>The names held after the command (removed ones left out).</summary>
    public IEnumerable<string> Held => Entries.Where(e => e.Change != PermissionChange.Removed).Select(e => e.Name);

    /// <summary>The names with <paramref name="change"/>.</summary>
    public IEnumerable<string> With(PermissionChange change) => Entries.Where(e => e.Change == change).Select(e => e.Name);
}

/// <summary>A new token's secret. Its <see cref="object.ToString"/> stays redacted; only renderers of answers that
/// are delivered privately call <see cref="Display"/>.</summary>
public sealed record SecretCell(TokenSecret? Secret) : TableCell
{
    /// <inheritdoc/>
    public override string Display(TableMedium medium, DateTimeOffset now) => Secret?.Reveal() ?? "";
}
