namespace PscaleBot.Bot.Work;

/// <summary>
/// How long a sweeping loop sleeps after a pass: until the next item falls due, at least a second (so a clock at the
/// due time does not spin), at most the idle wait (so other replicas' work is seen).
/// </summary>
public static class SweepWait
{
    private static readonly TimeSpan MinimumWait = TimeSpan.FromSeconds(1);

    /// <summary>The wait until <paramref name="next"/> on <paramref name="time"/>, kept between a second and <paramref name="idle"/>; <paramref name="idle"/> when nothing is due.</summary>
    public static TimeSpan Until(DateTimeOffset? next, TimeSpan idle, TimeProvider time)
    {
        if (next is null)
        {
            return idle;
        }

        var wait = next.Value - time.GetUtcNow();
        return wait < MinimumWait ? MinimumWait : wait > idle ? idle : wait;
    }
}
