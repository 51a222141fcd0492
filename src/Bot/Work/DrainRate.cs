namespace PscaleBot.Bot.Work;

/// <summary>
/// How fast the queue is draining, from the last completions within <see cref="Window"/>: the basis of the
/// "try again in about N seconds" a refusal gives. Not thread-safe: the queue locks.
/// </summary>
internal sealed class DrainRate(TimeProvider time)
{
    /// <summary>Completions older than this say nothing about the current rate.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    /// <summary>The suggestion when nothing finished lately (work is stuck or has not started): a minute.</summary>
    public static readonly TimeSpan Unknown = TimeSpan.FromMinutes(1);

    /// <summary>The longest suggestion: past this the number means little, and people retry anyway.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromMinutes(5);

    private const int Remembered = 512;
    private readonly long[] finishedAt = new long[Remembered];
    private int count;
    private int next;

    /// <summary>Notes one finished item.</summary>
    public void Finished()
    {
        finishedAt[next] = time.GetTimestamp();
        next = (next + 1) % Remembered;
        count = Math.Min(count + 1, Remembered);
    }

    /// <summary>
    /// When <paramref name="ahead"/> items in front of a new one are likely gone, at the recent rate divided by
    /// <paramref name="shareOf"/> (the owners served in turn); between a second and <see cref="Longest"/>.
    /// </summary>
    public TimeSpan EstimateWait(int ahead, int shareOf)
    {
        var now = time.GetTimestamp();
        var recent = 0;
        var oldest = now;
        for (var i = 0; i < count; i++)
        {
            var at = finishedAt[(next - 1 - i + Remembered) % Remembered];
            if (time.GetElapsedTime(at, now) > Window)
            {
                break;
            }

            recent++;
            oldest = at;
        }

        if (recent == 0)
        {
            return Unknown;
        }

        // The span covers the whole window when completions were sparse; never less than one second.
        var span = Math.Max(time.GetElapsedTime(oldest, now).TotalSeconds, 1);
        var perSecond = recent / span / Math.Max(1, shareOf);
        var seconds = Math.Ceiling((ahead + 1) / perSecond);
        return TimeSpan.FromSeconds(Math.Clamp(seconds, 1, Longest.TotalSeconds));
    }
}
