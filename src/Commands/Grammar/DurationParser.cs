using System.Globalization;
using System.Text.RegularExpressions;

namespace PscaleBot.Commands.Grammar;

/// <summary>
/// Reads the values of <c>--ttl</c> and <c>--for</c>: whole seconds (<c>3600</c>, what the CLI's
/// <c>--ttl</c> takes) or a duration built from whole numbers of days, hours, minutes and seconds
/// (<c>90m</c>, <c>2h</c>, <c>7d</c>, <c>1h30m</c>).
/// </summary>
internal static partial class DurationParser
{
    /// <summary>The longest duration accepted: the CLI sends <c>--ttl</c> as a 32-bit count of seconds.</summary>
    public static readonly TimeSpan Maximum = TimeSpan.FromSeconds(int.MaxValue);

    [GeneratedRegex(@"^(?:(?<n>\d+)(?<u>[dhms]))+$", RegexOptions.CultureInvariant)]
    private static partial Regex Units();

    /// <summary>Parses <paramref name="value"/> for <paramref name="flag"/> (<c>--ttl</c>); on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string value, string flag, out TimeSpan duration, out string? error)
    {
        duration = default;
        error = null;
        var text = value.Trim().ToLowerInvariant();
        var shown = Shorten(value);

        if (text.StartsWith('-') && text.Length > 1 && (char.IsDigit(text[1]) || Units().IsMatch(text[1..])))
        {
            error = $"`{flag}` must be positive, not `{shown}`";
            return false;
        }

        if (text.Length > 0 && text.All(char.IsAsciiDigit))
        {
            return FromSeconds(Sum(text, 1), flag, out duration, out error);
        }

        var match = Units().Match(text);
        if (!match.Success)
        {
            error = $"invalid duration `{shown}` for `{flag}`: use seconds (`3600`) or a duration like `90m`, `2h`, `7d` or `1h30m`";
            return false;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        decimal seconds = 0;
        for (var i = 0; i < match.Groups["n"].Captures.Count; i++)
        {
            var unit = match.Groups["u"].Captures[i].Value;
            if (!seen.Add(unit))
            {
                error = $"invalid duration `{shown}` for `{flag}`: `{unit}` appears twice; write it like `1h30m`";
                return false;
            }

            var perUnit = unit switch
            {
                "d" => 86_400,
                "h" => 3_600,
                "m" => 60,
                _ => 1,
            };
            seconds += Sum(match.Groups["n"].Captures[i].Value, perUnit);
        }

        return FromSeconds(seconds, flag, out duration, out error);
    }

    // Saturates instead of overflowing: anything past the maximum gets the same "too long" answer.
    private static decimal Sum(string digits, int perUnit)
    {
        var trimmed = digits.TrimStart('0');
        if (trimmed.Length > 15)
        {
            return decimal.MaxValue / 1_000_000;
        }

        return decimal.Parse(trimmed.Length == 0 ? "0" : trimmed, NumberStyles.None, CultureInfo.InvariantCulture) * perUnit;
    }

    private static bool FromSeconds(decimal seconds, string flag, out TimeSpan duration, out string? error)
    {
        duration = default;
        error = null;
        if (seconds <= 0)
        {
            error = $"`{flag}` must be longer than zero";
            return false;
        }

        if (seconds > (decimal)Maximum.TotalSeconds)
        {
            error = $"`{flag}` is too long: at most {int.MaxValue} seconds (about 68 years)";
            return false;
        }

        duration = TimeSpan.FromSeconds((double)seconds);
        return true;
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
