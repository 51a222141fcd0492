using System.ComponentModel.DataAnnotations;

namespace PscaleBot.Bot.Work;

/// <summary>Background work settings (section <c>BackgroundWork</c>).</summary>
/// <remarks>
/// The work is I/O-bound (PlanetScale, Slack and Teams calls), so what runs at once is a number of async tasks, not
/// threads: 256 waiting HTTP calls cost a few kilobytes each. What bounds the queue is memory (an item is a closure
/// of a few hundred bytes), so it holds thousands; "busy" is the last resort.
/// </remarks>
public sealed class BackgroundWorkOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "BackgroundWork";

    /// <summary>Items waiting at most, all users together; past that new work is refused as busy.</summary>
    [Range(1, 1_000_000, ErrorMessage = "BackgroundWork:QueueLimit must be between 1 and 1000000 items (default 10000).")]
    public int QueueLimit { get; set; } = 10_000;

    /// <summary>Items one user may have waiting; past that that user's new work is refused as busy (others' is not).</summary>
    [Range(1, 1_000_000, ErrorMessage = "BackgroundWork:MaxWaitingPerUser must be between 1 and 1000000 items (default 1000).")]
    public int MaxWaitingPerUser { get; set; } = 1_000;

    /// <summary>Items running at once, all users together (async tasks, not threads).</summary>
    [Range(1, 10_000, ErrorMessage = "BackgroundWork:MaxConcurrency must be between 1 and 10000 (default 256).")]
    public int MaxConcurrency { get; set; } = 256;

    /// <summary>Items of one user running at once, so one user's burst cannot take every slot.</summary>
    [Range(1, 10_000, ErrorMessage = "BackgroundWork:MaxPerUser must be between 1 and 10000 (default 16).")]
    public int MaxPerUser { get; set; } = 16;

    /// <summary>Longest one item may run before it is cancelled.</summary>
    public TimeSpan ItemTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// On shutdown, how long queued and running work may still take; what is left after that is abandoned (the
    /// requester is told to run it again). Keep it below the platform's grace period (Kubernetes: 30 s).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00",
        ErrorMessage = "BackgroundWork:DrainTimeout must be more than 0 and at most 10 minutes (for example 00:00:20).")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(20);
}
