using System.Globalization;
using PscaleBot.Commands.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PscaleBot.Commands.Access;

/// <summary>
/// An on-call roster read from a YAML or JSON file: a list of <c>{who, from, until}</c> shifts (or a map with
/// a <c>shifts</c> list), times in ISO 8601 with an offset. The file is re-read when it changes, so a rota
/// tool can rewrite it. A broken file throws <see cref="FormatException"/> (never half-applied); the request
/// service then falls back to manual approval.
/// </summary>
public sealed class ScheduleFileOnCallRoster(string path) : IOnCallRoster
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private DateTime loadedWriteTime;
    private IReadOnlyList<OnCallShift> shifts = [];

    /// <inheritdoc />
    public async Task<OnCallShift?> FindShiftAsync(ChatIdentity who, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var current = await LoadAsync(cancellationToken);
        var ids = who.AllIds.ToHashSet(StringComparer.Ordinal);
        return current.FirstOrDefault(s => ids.Contains(s.Who) && s.Covers(at));
    }

    /// <summary>Parses a schedule; throws <see cref="FormatException"/> naming the line of the first bad entry.</summary>
    public static IReadOnlyList<OnCallShift> Parse(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new FormatException($"The on-call schedule is not valid YAML/JSON at line {ex.Start.Line}: {ex.Message}", ex);
        }

        if (stream.Documents.Count == 0)
        {
            return [];
        }

        var root = stream.Documents[0].RootNode;
        var list = root switch
        {
            YamlSequenceNode sequence => sequence,
            YamlMappingNode map when map.Children.TryGetValue(new YamlScalarNode("shifts"), out var node) && node is YamlSequenceNode s => s,
            _ => throw new FormatException($"The on-call schedule must be a list of {{who, from, until}} shifts or a map with a 'shifts' list (line {root.Start.Line})."),
        };

        var result = new List<OnCallShift>();
        foreach (var item in list.Children)
        {
            if (item is not YamlMappingNode entry)
            {
                throw new FormatException($"Line {item.Start.Line}: each shift must be a map with who, from and until.");
            }

            var who = Scalar(entry, "who");
            var from = Time(entry, "from");
            var until = Time(entry, "until");
            if (until <= from)
            {
                throw new FormatException($"Line {entry.Start.Line}: 'until' must be after 'from'.");
            }

            result.Add(new OnCallShift(who, from, until));
        }

        return result;
    }

    private async Task<IReadOnlyList<OnCallShift>> LoadAsync(CancellationToken cancellationToken)
    {
        var writeTime = File.GetLastWriteTimeUtc(path);
        if (writeTime == loadedWriteTime)
        {
            return shifts;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            if (writeTime != loadedWriteTime)
            {
                var text = await File.ReadAllTextAsync(path, cancellationToken);
                shifts = Parse(text);
                loadedWriteTime = writeTime;
            }

            return shifts;
        }
        finally
        {
            gate.Release();
        }
    }

    private static string Scalar(YamlMappingNode entry, string key)
    {
        if (entry.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode { Value: { Length: > 0 } value })
        {
            return value.Trim();
        }

        throw new FormatException($"Line {entry.Start.Line}: the shift has no '{key}'.");
    }

    private static DateTimeOffset Time(YamlMappingNode entry, string key)
    {
        var text = Scalar(entry, key);
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return value;
        }

        throw new FormatException($"Line {entry.Start.Line}: '{key}' is not a time ('{text}'); write it as 2026-11-28T22:00:00Z.");
    }
}
