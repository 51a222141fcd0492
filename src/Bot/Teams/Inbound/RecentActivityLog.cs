using System.Collections.Concurrent;

namespace PscaleBot.Bot.Teams.Inbound;

/// <summary>
/// Remembers the activities seen in the last ten minutes, so a re-delivery (Teams retries when the bot is
/// slow, with the same id) runs nothing twice, and a repeated invoke gets the first answer back.
/// </summary>
internal sealed class RecentActivityLog(TimeProvider timeProvider)
{
    internal static readonly TimeSpan Retention = TimeSpan.FromMinutes(10);
    private const int PruneEvery = 256;

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private int additions;

    /// <summary>True the first time a key is seen within the retention window.</summary>
    public bool TryBegin(string key) => GetOrAdd(key, static () => Task.FromResult<object?>(null)).First;

    /// <summary>Forgets a key (when the work could not even be queued, so a re-delivery should run).</summary>
    public void Forget(string key) => entries.TryRemove(key, out _);

    /// <summary>The answer of the first delivery of <paramref name="key"/>, computed once.</summary>
    public async Task<T> GetOrRunAsync<T>(string key, Func<Task<T>> run)
    {
        var (_, task) = GetOrAdd(key, async () => (object?)await run());
        return (T)(await task)!;
    }

    private (bool First, Task<object?> Task) GetOrAdd(string key, Func<Task<object?>> run)
    {
        var now = timeProvider.GetUtcNow();
        if (Interlocked.Increment(ref additions) % PruneEvery == 0)
        {
            Prune(now);
        }

        var created = new Entry(now, new Lazy<Task<object?>>(run));
        while (true)
        {
            var existing = entries.GetOrAdd(key, created);
            if (ReferenceEquals(existing, created))
            {
                return (true, created.Work.Value);
            }

            if (now - existing.Seen < Retention)
            {
                return (false, existing.Work.Value);
            }

            if (entries.TryUpdate(key, created, existing))
            {
                return (true, created.Work.Value);
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
