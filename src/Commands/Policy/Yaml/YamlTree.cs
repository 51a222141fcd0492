using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PscaleBot.Commands.Policy.Yaml;

/// <summary>A YAML node that remembers where it started, so validation errors can name a line.</summary>
internal abstract record YamlNode(int Line, int Column)
{
    /// <summary>What kind of node this is, for "expected a list, found a mapping" messages.</summary>
    public abstract string Kind { get; }
}

/// <summary>A scalar. <see cref="IsNull"/> for <c>~</c>, <c>null</c> or nothing at all (plain style only).</summary>
internal sealed record YamlScalar(string Value, bool IsPlain, int Line, int Column) : YamlNode(Line, Column)
{
    public bool IsNull => IsPlain && (Value.Length == 0 || Value is "~" or "null" or "Null" or "NULL");

    public override string Kind => IsNull ? "nothing" : Value.Trim().Length == 0 ? "an empty value" : "a single value";
}

/// <summary>A sequence.</summary>
internal sealed record YamlSequence(IReadOnlyList<YamlNode> Items, int Line, int Column) : YamlNode(Line, Column)
{
    public override string Kind => "a list";
}

/// <summary>A mapping whose keys are scalars, in file order, duplicates already removed (and reported).</summary>
internal sealed record YamlMapping(IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> Entries, int Line, int Column)
    : YamlNode(Line, Column)
{
    public override string Kind => "a mapping";
}

/// <summary>
/// Reads YAML text into <see cref="YamlNode"/>s from YamlDotNet's parser events, keeping each node's start mark,
/// and reports duplicate and non-scalar keys instead of throwing at the first one.
/// </summary>
internal static class YamlTreeReader
{
    /// <summary>Parses one document; null when the text is not YAML (the syntax error is in <paramref name="errors"/>).</summary>
    public static YamlNode? Read(string text, List<PolicyError> errors)
    {
        var anchors = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        var reader = new PositionTrackingReader(new StringReader(text));
        var openFlows = new Stack<(int Line, int Column)>();
        try
        {
            var parser = new Parser(reader);
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
            {
                return null;
            }

            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, anchors, errors, openFlows);
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var next))
            {
                errors.Add(new((int)next.Start.Line, (int)next.Start.Column, "the policy file holds more than one YAML document; keep one (remove the '---')"));
            }

            return root;
        }
        catch (YamlException ex)
        {
            errors.Add(new((int)ex.Start.Line, (int)ex.Start.Column, $"YAML syntax error: {Clean(ex.Message)}"));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner can fail this way (not with a YamlException) when the text ends inside an
            // unclosed [ ] or { }; the furthest point it read is the best position to report.
            var (line, column) = openFlows.Count > 0 ? openFlows.Peek() : (reader.Line, reader.Column);
            errors.Add(new(line, column, "YAML syntax error: this '[' or '{' is never closed (or a quoted value never ends)"));
            return null;
        }
    }

    private static YamlNode ReadNode(IParser parser, Dictionary<string, YamlNode> anchors, List<PolicyError> errors, Stack<(int Line, int Column)> openFlows)
    {
        var current = parser.Current ?? throw new YamlException("unexpected end of the file");
        YamlNode node;
        switch (current)
        {
            case AnchorAlias alias:
                parser.MoveNext();
                if (anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    return target;
                }

                throw new YamlException(alias.Start, alias.End, $"unknown alias *{alias.Value.Value}");
            case Scalar scalar:
                parser.MoveNext();
                node = new YamlScalar(scalar.Value, scalar.Style == ScalarStyle.Plain, (int)scalar.Start.Line, (int)scalar.Start.Column);
                Remember(scalar, node, anchors);
                return node;
            case SequenceStart start:
                Open(start.Style == SequenceStyle.Flow, start, openFlows);
                parser.MoveNext();
                var items = new List<YamlNode>();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    items.Add(ReadNode(parser, anchors, errors, openFlows));
                }

                Close(start.Style == SequenceStyle.Flow, openFlows);
                node = new YamlSequence(items, (int)start.Start.Line, (int)start.Start.Column);
                Remember(start, node, anchors);
                return node;
            case MappingStart start:
                Open(start.Style == MappingStyle.Flow, start, openFlows);
                parser.MoveNext();
                var entries = new List<KeyValuePair<YamlScalar, YamlNode>>();
                var seen = new Dictionary<string, YamlScalar>(StringComparer.Ordinal);
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var key = ReadNode(parser, anchors, errors, openFlows);
                    var value = ReadNode(parser, anchors, errors, openFlows);
                    if (key is not YamlScalar scalarKey)
                    {
                        errors.Add(new(key.Line, key.Column, $"a key must be a single value, not {key.Kind}"));
                        continue;
                    }

                    if (seen.TryGetValue(scalarKey.Value, out var first))
                    {
                        errors.Add(new(scalarKey.Line, scalarKey.Column,
                            $"duplicate key '{scalarKey.Value}' (first on line {first.Line}); YAML keeps only one, so merge them"));
                        continue;
                    }

                    seen.Add(scalarKey.Value, scalarKey);
                    entries.Add(new(scalarKey, value));
                }

                Close(start.Style == MappingStyle.Flow, openFlows);
                node = new YamlMapping(entries, (int)start.Start.Line, (int)start.Start.Column);
                Remember(start, node, anchors);
                return node;
            default:
                throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
        }
    }

    private static void Open(bool isFlow, ParsingEvent start, Stack<(int Line, int Column)> openFlows)
    {
        if (isFlow)
        {
            openFlows.Push(((int)start.Start.Line, (int)start.Start.Column));
        }
    }

    private static void Close(bool isFlow, Stack<(int Line, int Column)> openFlows)
    {
        if (isFlow)
        {
            openFlows.Pop();
        }
    }

    private static void Remember(NodeEvent nodeEvent, YamlNode node, Dictionary<string, YamlNode> anchors)
    {
        if (!nodeEvent.Anchor.IsEmpty)
        {
            anchors[nodeEvent.Anchor.Value] = node;
        }
    }

    // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 20) - (…): "; the caller adds its own position.
    private static string Clean(string message)
    {
        var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 && message.StartsWith("(Line", StringComparison.Ordinal) ? message[(cut + 3)..] : message;
    }
}

/// <summary>A text reader that remembers the line and column of the furthest character read.</summary>
internal sealed class PositionTrackingReader(TextReader inner) : TextReader
{
    public int Line { get; private set; } = 1;

    public int Column { get; private set; } = 1;

    public override int Peek() => inner.Peek();

    public override int Read()
    {
        var c = inner.Read();
        if (c == '\n')
        {
            Line++;
            Column = 1;
        }
        else if (c >= 0)
        {
            Column++;
        }

        return c;
    }
}
