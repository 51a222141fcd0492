using System.Collections.Concurrent;

namespace PscaleBot.Bot.Slack.Commands;

/// <summary>
/// Remembers delivery keys for a while so a re-delivered slash command, envelope or button click runs once.
/// In memory: a restart forgets, which is acceptable because Slack re-delivers only within seconds.
/// </summary>
public sealed class SlackDeliveryLedger(TimeProvider time)
{
    private const int SweepEvery = 256;
    private readonly ConcurrentDictionary<string, DateTimeOffset> seen = new(StringComparer.Ordinal);
    private int additions;

    /// <summary>Records <paramref name="key"/>; false when it was already recorded less than <paramref name="window"/> ago.</summary>
    public bool TryRecord(string key, TimeSpan window)
    {
        var now = time.GetUtcNow();
        var expires = now + window;
        var recorded = false;
        seen.AddOrUpdate(
            key,
            _ =>
            {
                recorded = true;
                return expires;
            },
            (_, existing) =>
            {
                if (existing > now)
                {
                    recorded = false;
                    return existing;
                }

                recorded = true;
                return expires;
            });
        if (recorded && Interlocked.Increment(ref additions) % SweepEvery == 0)
        {
            Sweep(now);
        }

        return recorded;
    }

    /// <summary>Forgets <paramref name="key"/>, so a delivery whose work could not even be queued can be tried again.</summary>
    public void Forget(string key) => seen.TryRemove(key, out _);

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, expires) in seen)
        {
            if (expires <= now)
            {
                seen.TryRemove(new KeyValuePair<string, DateTimeOffset>(key, expires));
            }
        }
    }
}
