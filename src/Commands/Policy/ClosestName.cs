using PscaleBot.Commands.Text;

namespace PscaleBot.Commands.Policy;

/// <summary>Finds the known name nearest to a misspelt one, for "did you mean …?" hints.</summary>
internal static class ClosestName
{
    /// <summary>The nearest candidate within a small edit distance, or null when nothing is close.</summary>
    public static string? Find(string typed, IEnumerable<string> candidates)
    {
        var limit = Math.Max(2, typed.Length / 3);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = EditDistance.Between(typed.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return bestDistance <= limit ? best : null;
    }

    /// <summary><c> (did you mean 'x'?)</c> or nothing.</summary>
    public static string Hint(string typed, IEnumerable<string> candidates) =>
        Find(typed, candidates) is { } near ? $" (did you mean '{near}'?)" : "";

}
