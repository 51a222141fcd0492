using System.Collections.Concurrent;

namespace PscaleBot.Bot.Chat;

/// <summary>
/// The in-process <see cref="IDeliveryLedger"/>. A restart forgets, which is acceptable for one replica
/// because Slack and Teams re-deliver within seconds to minutes.
/// </summary>
public sealed class InMemoryDeliveryLedger(TimeProvider time) : IDeliveryLedger
{
    private const int SweepEvery = 256;
    private readonly ConcurrentDictionary<string, DateTimeOffset> seen = new(StringComparer.Ordinal);
    private int additions;

    /// <inheritdoc />
    public ValueTask<bool> TryRecordAsync(string key, TimeSpan window, CancellationToken cancellationToken)
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

        return ValueTask.FromResult(recorded);
    }

    /// <inheritdoc />
    public ValueTask ForgetAsync(string key, CancellationToken cancellationToken)
    {
        seen.TryRemove(key, out _);
        return ValueTask.CompletedTask;
    }

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
