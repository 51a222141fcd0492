using System.Globalization;
using PscaleBot.Commands.Text;

namespace PscaleBot.Commands.Policy.Yaml;

/// <summary>
/// Reads typed values (strings, lists, durations, booleans, numbers) and mapping keys out of a <see cref="YamlNode"/>
/// tree. Each problem is added to one error list with the line and column of the node at fault, and the reader
/// returns null or nothing, so a caller can go on and report every problem in a file rather than the first.
/// </summary>
/// <param name="errors">Where problems go, in the order they are found.</param>
internal sealed class YamlFieldReader(List<PolicyError> errors)
{
    /// <summary>Reports a problem at <paramref name="node"/>'s position.</summary>
    public void Error(YamlNode node, string message) => Error(node.Line, node.Column, message);

    /// <summary>How many problems have been reported so far (so a reader can tell whether its part added any).</summary>
    public int ErrorCount => errors.Count;

    /// <summary>Reports a problem at a 1-based line and column.</summary>
    public void Error(int line, int column, string message) => errors.Add(new PolicyError(line, column, message));

    /// <summary>Reports <paramref name="message"/> at <paramref name="node"/> and returns an empty list, for a node of the wrong kind.</summary>
    public List<T> WrongKind<T>(YamlNode node, string message)
    {
        Error(node, message);
        return [];
    }

    /// <summary>
    /// A list of non-empty values, trimmed; a single value reads as a list of one. Reports a mapping, an empty list
    /// (unless <paramref name="allowEmpty"/>) and each empty or non-scalar entry.
    /// </summary>
    public IEnumerable<YamlScalar> ReadStrings(YamlNode node, string key, string context, bool allowEmpty, string? emptyHint = null)
    {
        IReadOnlyList<YamlNode> items = node switch
        {
            YamlSequence list => list.Items,
            YamlScalar scalar when scalar.IsNull || scalar.Value.Trim().Length == 0 => [],
            YamlScalar scalar => [scalar],
            _ => [],
        };
        if (node is YamlMapping)
        {
            Error(node, $"{context}: '{key}' must be a list of values, not a mapping");
            return [];
        }

        if (items.Count == 0 && !allowEmpty)
        {
            Error(node, $"{context}: '{key}' is empty" + (emptyHint is null ? "" : $"; {emptyHint}"));
            return [];
        }

        var values = new List<YamlScalar>();
        foreach (var item in items)
        {
            if (item is YamlScalar { IsNull: false } scalar && scalar.Value.Trim().Length > 0)
            {
                values.Add(scalar with { Value = scalar.Value.Trim() });
            }
            else
            {
                Error(item, $"{context}: each entry of '{key}' must be a non-empty value, not {item.Kind}");
            }
        }

        return values;
    }

    /// <summary>One non-empty value, trimmed; null (and reported) otherwise.</summary>
    public string? ReadString(YamlNode node, string key, string context)
    {
        if (node is YamlScalar { IsNull: false } scalar && scalar.Value.Trim().Length > 0)
        {
            return scalar.Value.Trim();
        }

        Error(node, $"{context}: '{key}' must be a single non-empty value, not {node.Kind}");
        return null;
    }

    /// <summary>A duration in the policy file's syntax (<see cref="PolicyDuration"/>); null (and reported) otherwise.</summary>
    public TimeSpan? ReadDuration(YamlNode node, string key, string context)
    {
        if (ReadString(node, key, context) is not { } text)
        {
            return null;
        }

        if (PolicyDuration.TryParse(text, out var duration))
        {
            return duration;
        }

        Error(node, $"{context}: {key} '{text}' is not a duration; write a number and a unit, like 30m, 2h, 1h30m or 7d");
        return null;
    }

    /// <summary>A plain <c>true</c> or <c>false</c> in any case; null (and reported) otherwise, so <c>yes</c> and <c>"true"</c> are refused.</summary>
    public bool? ReadBool(YamlNode node, string key, string context)
    {
        if (node is YamlScalar { IsPlain: true } scalar)
        {
            if (string.Equals(scalar.Value, "true", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (string.Equals(scalar.Value, "false", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        Error(node, $"{context}: {key} must be true or false");
        return null;
    }

    /// <summary>A plain whole number; null (and reported) otherwise.</summary>
    public int? ReadInt(YamlNode node, string key, string context)
    {
        if (node is YamlScalar { IsPlain: true } scalar
            && int.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Error(node, $"{context}: {key} must be a whole number");
        return null;
    }

    /// <summary>Reports every key of <paramref name="map"/> not in <paramref name="allowed"/>, with the nearest allowed one when close.</summary>
    public void CheckKeys(YamlMapping map, string context, string[] allowed)
    {
        foreach (var (key, _) in map.Entries)
        {
            if (!allowed.Contains(key.Value, StringComparer.Ordinal))
            {
                var hint = NameSuggester.Closest(key.Value, allowed) is { } near
                    ? $"did you mean '{near}'?"
                    : $"expected one of: {string.Join(", ", allowed)}";
                Error(key, $"unknown key '{key.Value}' {context} ({hint})");
            }
        }
    }

    /// <summary>The value of <paramref name="key"/>; null (and reported at the mapping) when it is missing.</summary>
    public YamlNode? Require(YamlMapping map, string key, string context)
    {
        var node = Find(map, key);
        if (node is null)
        {
            Error(map, $"missing '{key}' {context}");
        }

        return node;
    }

    /// <summary>The value of <paramref name="key"/>, or null when the mapping has no such key.</summary>
    public static YamlNode? Find(YamlMapping map, string key) =>
        map.Entries.FirstOrDefault(e => e.Key.Value == key).Value;

    /// <summary><c> (did you mean 'x'?)</c> when a known name is close to <paramref name="typed"/>, or nothing.</summary>
    public static string DidYouMean(string typed, IEnumerable<string> known) =>
        NameSuggester.Closest(typed, known) is { } near ? $" (did you mean '{near}'?)" : "";
}
