namespace PscaleBot.Commands.Results.Rendering;

/// <summary>
/// Relative times worded exactly as go-humanize's <c>humanize.Time</c>, which the CLI's tables use:
/// <c>now</c>, <c>19 minutes ago</c>, <c>1 hour from now</c>, <c>2 years ago</c>, <c>a long while ago</c>.
/// </summary>
public static class RelativeTime
{
    private static readonly TimeSpan Day = TimeSpan.FromHours(24);
    private static readonly TimeSpan Week = 7 * Day;
    private static readonly TimeSpan Month = 30 * Day;
    private static readonly TimeSpan Year = 12 * Month;
    private static readonly TimeSpan LongTime = 37 * Year;

    // go-humanize's defaultMagnitudes: the first entry whose bound exceeds the difference wins; a
    // divisor of zero marks a fixed text.
    private static readonly (TimeSpan Below, string Format, TimeSpan DivideBy)[] Magnitudes =
    [
        (TimeSpan.FromSeconds(1), "now", TimeSpan.Zero),
        (TimeSpan.FromSeconds(2), "1 second {1}", TimeSpan.Zero),
        (TimeSpan.FromMinutes(1), "{0} seconds {1}", TimeSpan.FromSeconds(1)),
        (TimeSpan.FromMinutes(2), "1 minute {1}", TimeSpan.Zero),
        (TimeSpan.FromHours(1), "{0} minutes {1}", TimeSpan.FromMinutes(1)),
        (TimeSpan.FromHours(2), "1 hour {1}", TimeSpan.Zero),
        (Day, "{0} hours {1}", TimeSpan.FromHours(1)),
        (2 * Day, "1 day {1}", TimeSpan.Zero),
        (Week, "{0} days {1}", Day),
        (2 * Week, "1 week {1}", TimeSpan.Zero),
        (Month, "{0} weeks {1}", Week),
        (2 * Month, "1 month {1}", TimeSpan.Zero),
        (Year, "{0} months {1}", Month),
        (18 * Month, "1 year {1}", TimeSpan.Zero),
        (2 * Year, "2 years {1}", TimeSpan.Zero),
        (LongTime, "{0} years {1}", Year),
        (TimeSpan.MaxValue, "a long while {1}", TimeSpan.Zero),
    ];

    /// <summary><paramref name="then"/> relative to <paramref name="now"/>.</summary>
    public static string Describe(DateTimeOffset then, DateTimeOffset now)
    {
        var label = then <= now ? "ago" : "from now";
        var difference = then <= now ? now - then : then - now;
        foreach (var (below, format, divideBy) in Magnitudes)
        {
            if (below > difference)
            {
                var count = divideBy == TimeSpan.Zero ? 0 : difference.Ticks / divideBy.Ticks;
                return string.Format(System.Globalization.CultureInfo.InvariantCulture, format, count, label);
            }
        }

        return $"a long while {label}";
    }

    /// <summary>Like <see cref="Describe(DateTimeOffset, DateTimeOffset)"/>; an empty string for no time, as the CLI leaves the cell empty.</summary>
    public static string Describe(DateTimeOffset? then, DateTimeOffset now) => then is { } value ? Describe(value, now) : "";
}
