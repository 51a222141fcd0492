namespace PscaleBot.Commands.Text;

/// <summary>
/// The one "did you mean …?" rule of the bot, for commands, flags, help topics and permissions typed in chat,
/// keys, sub-commands, permissions and roles in the policy file, and database and organization names at PlanetScale.
/// </summary>
/// <remarks>
/// The rule, in order:
/// <list type="number">
/// <item>Names are compared ignoring case and surrounding spaces, with <c>-</c> and <c>_</c> counted as the same
/// character (<c>delete_access</c> means <c>delete-access</c>).</item>
/// <item>Nothing is suggested for an empty name, a name longer than <see cref="MaxComparedLength"/>, or a name that
/// is exactly one of the candidates (it needs no correction).</item>
/// <item>A candidate is close when it is at most <see cref="AllowedEdits"/> edits away (optimal string alignment,
/// see <see cref="EditDistance"/>): a quarter of the typed length, at least 1 and at most 3, so 1 edit up to
/// 7 characters, 2 up to 11, then 3. A smaller allowance for short names keeps <c>sh</c> from becoming
/// <c>show</c>; a cap keeps long names from matching unrelated ones.</item>
/// <item>The closest candidate wins; ties go to the one sharing the longest prefix with what was typed, then to
/// the first in ordinal order, so the answer does not depend on the order a list arrived in.</item>
/// <item>When no candidate is close, a name of at least 3 characters that begins exactly one candidate suggests
/// that candidate (<c>show-acc</c> means <c>show-access</c>).</item>
/// </list>
/// </remarks>
public static class NameSuggester
{
    /// <summary>Names longer than this get no suggestion: nobody mistypes a 65-character name, and comparing costs.</summary>
    public const int MaxComparedLength = 64;

    /// <summary>Shortest typed name that may be completed to the one candidate it begins.</summary>
    private const int MinPrefixLength = 3;

    /// <summary>How many edits a typed name of <paramref name="length"/> characters may be from a suggestion.</summary>
    public static int AllowedEdits(int length) => Math.Clamp(length / 4, 1, 3);

    /// <summary>
    /// The candidate <paramref name="typed"/> most likely meant, by the rule above, or null when nothing is close or
    /// when it was typed exactly.
    /// </summary>
    public static string? Closest(string? typed, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var trimmed = typed?.Trim() ?? string.Empty;
        if (trimmed.Length == 0 || trimmed.Length > MaxComparedLength)
        {
            return null;
        }

        var word = Fold(trimmed);
        var allowed = AllowedEdits(word.Length);
        string? best = null;
        var bestDistance = int.MaxValue;
        var bestPrefix = -1;
        var completions = new HashSet<string>(StringComparer.Ordinal);

        foreach (var candidate in candidates)
        {
            if (string.IsNullOrWhiteSpace(candidate))
            {
                continue;
            }

            if (string.Equals(candidate, trimmed, StringComparison.Ordinal))
            {
                return null;
            }

            var folded = Fold(candidate);
            if (word.Length >= MinPrefixLength && folded.Length > word.Length && folded.StartsWith(word, StringComparison.Ordinal))
            {
                completions.Add(candidate);
            }

            var distance = EditDistance.Between(word, folded, allowed);
            if (distance > allowed)
            {
                continue;
            }

            var prefix = CommonPrefixLength(word, folded);
            if (distance < bestDistance
                || (distance == bestDistance && (prefix > bestPrefix || (prefix == bestPrefix && string.CompareOrdinal(candidate, best) < 0))))
            {
                (best, bestDistance, bestPrefix) = (candidate, distance, prefix);
            }
        }

        return best ?? (completions.Count == 1 ? completions.First() : null);
    }

    // Case and the dash/underscore confusion are not worth an edit.
    private static string Fold(string name) => name.Trim().ToLowerInvariant().Replace('-', '_');

    private static int CommonPrefixLength(string a, string b)
    {
        var length = 0;
        while (length < a.Length && length < b.Length && a[length] == b[length])
        {
            length++;
        }

        return length;
    }
}
