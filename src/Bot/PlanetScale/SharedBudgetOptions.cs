using System.ComponentModel.DataAnnotations;

namespace PscaleBot.Bot.PlanetScale;

/// <summary>
/// Settings of the budget shared between replicas (section <c>PlanetScale</c>, beside the client's own settings; the
/// limit itself is <c>PlanetScale:RequestsPerMinute</c>).
/// </summary>
public sealed class SharedBudgetOptions
{
    /// <summary>The section bound.</summary>
    public const string SectionName = "PlanetScale";

    /// <summary>How many replicas share the credential: while the database is unreachable each uses the limit divided by this.</summary>
    [Range(1, 1000, ErrorMessage = "PlanetScale:ReplicaCount must be between 1 and 1000 (the number of bot replicas sharing one credential).")]
    public int ReplicaCount { get; set; } = 1;

    /// <summary>The part of each window, in percent, that reads may use, so changes and revocations on any replica still find room.</summary>
    [Range(1, 100, ErrorMessage = "PlanetScale:ReadSharePercent must be between 1 and 100.")]
    public int ReadSharePercent { get; set; } = 70;

    /// <summary>The part of each window, in percent, that changes may use, so revocations on any replica still find room.</summary>
    [Range(1, 100, ErrorMessage = "PlanetScale:ChangeSharePercent must be between 1 and 100.")]
    public int ChangeSharePercent { get; set; } = 90;
}
