using System.Collections.Concurrent;

namespace PscaleBot.Benchmarks.Load;

/// <summary>
/// The first answer of each kind that was not judged correct, per run, command and verdict, so the report says what
/// the "errors" were instead of only counting them.
/// </summary>
internal sealed class WrongAnswers
{
    private const int MaxChars = 400;
    private readonly ConcurrentDictionary<(string Run, string Command, Verdict Verdict), (string Body, int Count)> samples = new();

    /// <summary>Keeps <paramref name="body"/> when it is the first of its kind, and counts it.</summary>
    public void Note(string commandId, LoadCommand command, Verdict verdict, string body)
    {
        if (verdict == Verdict.Correct)
        {
            return;
        }

        // Ids are "<run prefix>.<n>": one sample per run, not per command sent.
        var run = commandId[..(commandId.LastIndexOf('.') + 1)];
        var sample = body.Length > MaxChars ? body[..MaxChars] + "…" : body;
        samples.AddOrUpdate((run, command.Name, verdict), (sample, 1), (_, kept) => (kept.Body, kept.Count + 1));
    }

    /// <summary>Every kind seen, in a stable order.</summary>
    public IReadOnlyList<(string Run, string Command, Verdict Verdict, int Count, string Body)> All() =>
        [.. samples.OrderBy(s => s.Key.Run, StringComparer.Ordinal).ThenBy(s => s.Key.Command, StringComparer.Ordinal).ThenBy(s => s.Key.Verdict)
            .Select(s => (s.Key.Run, s.Key.Command, s.Key.Verdict, s.Value.Count, s.Value.Body))];
}
