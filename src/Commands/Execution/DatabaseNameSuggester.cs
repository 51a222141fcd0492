namespace PscaleBot.Commands.Execution;

/// <summary>
/// Finds the database name a mistyped one most likely meant (edit distance, case-insensitive).
/// Internal: the PlanetScale client ships <c>PlanetScale.DatabaseNameSuggester.Suggest</c>; switch to it once both are merged.
/// </summary>
internal static class DatabaseNameSuggester
{
    // Null when none is close enough to be a typo: more than a third of the name (at least 2 edits) differs.
    public static string? Closest(string typed, IEnumerable<string> known)
    {
        var threshold = Math.Max(2, typed.Length / 3);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var name in known)
        {
            var distance = Distance(typed.ToLowerInvariant(), name.ToLowerInvariant());
            if (distance < bestDistance || (distance == bestDistance && string.CompareOrdinal(name, best) < 0))
            {
                best = name;
                bestDistance = distance;
            }
        }

        return bestDistance <= threshold ? best : null;
    }

    // Optimal string alignment distance: a swap of two neighbours ("prdo") counts as one edit.
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
