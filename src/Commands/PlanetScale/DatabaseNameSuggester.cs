using PscaleBot.Commands.Text;

namespace PscaleBot.Commands.PlanetScale;

/// <summary>
/// Suggests the existing name closest to a mistyped one (a <c>--database</c> or an organization): "did you mean `prod`?".
/// Closeness is the optimal-string-alignment edit distance, ignoring case, so a swapped pair of letters costs one edit.
/// </summary>
public static class DatabaseNameSuggester
{
    /// <summary>
    /// The closest of <paramref name="existingNames"/> to <paramref name="typed"/>, or null when none is close enough
    /// (at most a third of the typed length in edits, and at least one, capped at three) or when it was typed exactly.
    /// Ties go to the name sharing the longest prefix, then to the first in ordinal order, so the answer is stable.
    /// </summary>
    public static string? Suggest(string typed, IEnumerable<string> existingNames)
    {
        ArgumentNullException.ThrowIfNull(typed);
        ArgumentNullException.ThrowIfNull(existingNames);
        var wanted = typed.Trim().ToLowerInvariant();
        if (wanted.Length == 0)
        {
            return null;
        }

        var allowed = Math.Clamp(wanted.Length / 3, 1, 3);
        string? best = null;
        var bestDistance = int.MaxValue;
        var bestPrefix = -1;
        foreach (var name in existingNames.Where(n => !string.IsNullOrWhiteSpace(n)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var candidate = name.ToLowerInvariant();
            if (candidate == wanted)
            {
                // Same name in another case: that is the suggestion; an exact match needs none.
                return string.Equals(name, typed, StringComparison.Ordinal) ? null : name;
            }

            var distance = EditDistance.Between(wanted, candidate, allowed);
            if (distance > allowed)
            {
                continue;
            }

            var prefix = CommonPrefix(wanted, candidate);
            if (distance < bestDistance || (distance == bestDistance && prefix > bestPrefix))
            {
                (best, bestDistance, bestPrefix) = (name, distance, prefix);
            }
        }

        return best;
    }


    private static int CommonPrefix(string a, string b)
    {
        var length = 0;
        while (length < a.Length && length < b.Length && a[length] == b[length])
        {
            length++;
        }

        return length;
    }
}
