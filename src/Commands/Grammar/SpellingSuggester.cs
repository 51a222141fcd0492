using PscaleBot.Commands.Text;

namespace PscaleBot.Commands.Grammar;

/// <summary>Finds the valid word a person most likely meant, by Damerau-Levenshtein distance.</summary>
internal static class SpellingSuggester
{
    /// <summary>Words longer than this are not compared: nobody mistypes a 60-character permission.</summary>
    private const int MaxComparedLength = 64;

    /// <summary>
    /// The closest candidate within a distance that grows with the word (1 up to 7 characters, 2 up to 11, then 3),
    /// or a candidate the word is an unambiguous prefix of; null when nothing is close.
    /// </summary>
    public static string? Closest(string input, IEnumerable<string> candidates)
    {
        if (string.IsNullOrEmpty(input) || input.Length > MaxComparedLength)
        {
            return null;
        }

        var word = Fold(input);
        var threshold = Math.Clamp(word.Length / 4, 1, 3);
        string? best = null;
        var bestDistance = int.MaxValue;
        var prefixMatches = new List<string>();

        foreach (var candidate in candidates)
        {
            var folded = Fold(candidate);
            if (word.Length >= 3 && folded.StartsWith(word, StringComparison.Ordinal) && folded.Length > word.Length)
            {
                prefixMatches.Add(candidate);
            }

            if (Math.Abs(folded.Length - word.Length) > threshold)
            {
                continue;
            }

            var distance = EditDistance.Between(word, folded, threshold);
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }

        if (best is not null && bestDistance <= threshold)
        {
            return best;
        }

        return prefixMatches.Count == 1 ? prefixMatches[0] : null;
    }


    // Case and the dash/underscore confusion are not worth a distance point.
    private static string Fold(string s) => s.ToLowerInvariant().Replace('-', '_');
}
