using System.Collections.Concurrent;

namespace PscaleBot.Bot.Teams.Inbound;

/// <summary>
/// Gives a repeated synchronous request (a card invoke, an outgoing-webhook call; Teams retries both with the
/// same id) the first request's answer instead of running it again. Only the answer is kept here, in process,
/// for <see cref="Retention"/>; whether a delivery is new is the <see cref="Chat.IDeliveryLedger"/>'s job.
/// </summary>
internal sealed class RepeatedRequestAnswers(TimeProvider timeProvider)
{
    internal static readonly TimeSpan Retention = TimeSpan.FromMinutes(10);
    private const int PruneEvery = 256;

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private int additions;

    /// <summary>The answer of the first request with <paramref name="key"/>, computed once.</summary>
    public async Task<T> GetOrRunAsync<T>(string key, Func<Task<T>> run)
    {
        var now = timeProvider.GetUtcNow();
        if (Interlocked.Increment(ref additions) % PruneEvery == 0)
        {
            Prune(now);
        }

        var created = new Entry(now, new Lazy<Task<object?>>(async () => (object?)await run()));
        while (true)
        {
            var existing = entries.GetOrAdd(key, created);
            if (ReferenceEquals(existing, created)
                || (now - existing.Seen >= Retention && entries.TryUpdate(key, created, existing)))
            {
                return (T)(await created.Work.Value)!;
            }

            if (now - existing.Seen < Retention)
            {
                return (T)(await existing.Work.Value)!;
            }
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, entry) in entries)
        {
            if (now - entry.Seen >= Retention)
            {
                entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            }
        }
    }

    private sealed record Entry(DateTimeOffset Seen, Lazy<Task<object?>> Work);
}
