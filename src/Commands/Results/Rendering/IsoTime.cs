using System.Globalization;

namespace PscaleBot.Commands.Results.Rendering;

/// <summary>Timestamps as JSON and CSV carry them: ISO-8601 in UTC the way Go's RFC 3339 encoder writes them.</summary>
public static class IsoTime
{
    /// <summary><c>2021-01-14T10:19:23Z</c>, with a fraction only when there is one (trailing zeros dropped).</summary>
    public static string Format(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        var text = utc.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
        return text.TrimEnd('.') + "Z";
    }

    /// <summary>Like <see cref="Format(DateTimeOffset)"/>; null for no time.</summary>
    public static string? Format(DateTimeOffset? time) => time is { } value ? Format(value) : null;
}
