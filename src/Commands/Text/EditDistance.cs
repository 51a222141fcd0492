namespace PscaleBot.Commands.Text;

/// <summary>
/// Optimal-string-alignment distance, shared by every "did you mean …?" in the bot: insertions,
/// deletions, substitutions and swaps of two neighbouring characters each cost one
/// (<c>raed_branch</c> is one away from <c>read_branch</c>). Callers fold case themselves.
/// </summary>
public static class EditDistance
{
    /// <summary>
    /// The distance between <paramref name="a"/> and <paramref name="b"/>, or <c>limit + 1</c> as soon as it is
    /// certain to exceed <paramref name="limit"/> (so long, unrelated words cost little).
    /// </summary>
    public static int Between(string a, string b, int limit = int.MaxValue - 1)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (Math.Abs(a.Length - b.Length) > limit)
        {
            return limit + 1;
        }

        var previousPrevious = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMinimum = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, previousPrevious[j - 2] + 1);
                }

                current[j] = value;
                rowMinimum = Math.Min(rowMinimum, value);
            }

            if (rowMinimum > limit)
            {
                return limit + 1;
            }

            (previousPrevious, previous, current) = (previous, current, previousPrevious);
        }

        return previous[b.Length];
    }
}
