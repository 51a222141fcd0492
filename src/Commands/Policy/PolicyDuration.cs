using System.Globalization;
using System.Text;

namespace PscaleBot.Commands.Policy;

/// <summary>
/// Durations as the policy file and <c>--for</c> write them: one or more number-unit pairs with units
/// <c>d</c>, <c>h</c>, <c>m</c>, <c>s</c> (<c>30m</c>, <c>2h</c>, <c>1h30m</c>, <c>7d</c>).
/// </summary>
public static class PolicyDuration
{
    /// <summary>Parses a positive duration; false for anything else (no zero, no negative, no bare numbers).</summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var total = TimeSpan.Zero;
        var i = 0;
        var seenUnits = "";
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == start || i == text.Length || i - start > 6)
            {
                return false;
            }

            var number = int.Parse(text.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture);
            var unit = text[i++];
            // Units must come largest first and once each, so "30m2h" or "1h1h" is rejected as a likely typo.
            var order = "dhms".IndexOf(unit);
            if (order < 0 || seenUnits.Length > 0 && "dhms".IndexOf(seenUnits[^1]) >= order)
            {
                return false;
            }

            seenUnits += unit;
            total += unit switch
            {
                'd' => TimeSpan.FromDays(number),
                'h' => TimeSpan.FromHours(number),
                'm' => TimeSpan.FromMinutes(number),
                _ => TimeSpan.FromSeconds(number),
            };
        }

        if (total <= TimeSpan.Zero)
        {
            return false;
        }

        duration = total;
        return true;
    }

    /// <summary>Formats a duration the way the policy file writes it (<c>1d2h</c>, <c>90m</c> becomes <c>1h30m</c>).</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return "0s";
        }

        var text = new StringBuilder();
        Append(text, duration.Days, 'd');
        Append(text, duration.Hours, 'h');
        Append(text, duration.Minutes, 'm');
        Append(text, duration.Seconds, 's');
        return text.ToString();
    }

    private static void Append(StringBuilder text, int value, char unit)
    {
        if (value > 0)
        {
            text.Append(value.ToString(CultureInfo.InvariantCulture)).Append(unit);
        }
    }
}
