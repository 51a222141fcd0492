using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace PscaleBot.Commands.Grammar;

/// <summary>
/// The value flags of a line, by name, in the order first given. Values stay slices of the line until read as
/// strings: a 4,000-character <c>--reason</c> is measured and refused for its length without being copied.
/// </summary>
internal sealed class FlagValues : IReadOnlyDictionary<string, string>
{
    private readonly List<KeyValuePair<string, ReadOnlyMemory<char>>> values = [];

    /// <inheritdoc />
    public int Count => values.Count;

    /// <inheritdoc />
    public IEnumerable<string> Keys => values.Select(v => v.Key);

    /// <inheritdoc />
    public IEnumerable<string> Values => values.Select(v => v.Value.ToString());

    /// <inheritdoc />
    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"flag `--{key}` was not given");

    /// <summary>Sets flag <paramref name="name"/> to <paramref name="value"/> (in its first place when given before).</summary>
    public void Set(string name, ReadOnlyMemory<char> value)
    {
        var at = IndexOf(name);
        if (at >= 0)
        {
            values[at] = new(name, value);
        }
        else
        {
            values.Add(new(name, value));
        }
    }

    /// <summary>The value of flag <paramref name="name"/> without copying it, when given.</summary>
    public bool TryGetSlice(string name, out ReadOnlyMemory<char> value)
    {
        var at = IndexOf(name);
        value = at >= 0 ? values[at].Value : default;
        return at >= 0;
    }

    /// <inheritdoc />
    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        var found = TryGetSlice(key, out var slice);
        value = found ? slice.ToString() : null;
        return found;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() =>
        values.Select(v => new KeyValuePair<string, string>(v.Key, v.Value.ToString())).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // A line has a handful of flags: a scan beats hashing.
    private int IndexOf(string name)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (string.Equals(values[i].Key, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
