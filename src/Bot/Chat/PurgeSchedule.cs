namespace PscaleBot.Bot.Chat;

/// <summary>
/// When a store-backed ledger should purge expired keys: at most once per <see cref="Interval"/> per process, on
/// the back of a recording, so no timer is needed and an idle bot does no work.
/// </summary>
public sealed class PurgeSchedule(TimeProvider time)
{
    /// <summary>How often each process purges: often enough to keep the table small, rare enough to cost nothing.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private long nextTicks = time.GetUtcNow().Add(Interval).UtcTicks;

    /// <summary>True (once) when a purge is due; the caller purges.</summary>
    public bool TryBegin()
    {
        var now = time.GetUtcNow().UtcTicks;
        var next = Interlocked.Read(ref nextTicks);
        return now >= next && Interlocked.CompareExchange(ref nextTicks, now + Interval.Ticks, next) == next;
    }
}
