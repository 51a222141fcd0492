namespace PscaleBot.Bot.PlanetScale;

/// <summary>What the shared counter answered to one take.</summary>
/// <param name="Granted">True when a request slot was taken.</param>
/// <param name="Used">Requests in the sliding window after this take.</param>
/// <param name="Users">Of those, users' calls (changes and reads).</param>
/// <param name="RetryAt">When refused: the earliest moment the window can have room for this call.</param>
/// <param name="PausedUntil">No slot is handed out before this (a 429's Retry-After), on any replica.</param>
public sealed record BudgetTake(bool Granted, int Used, int Users, DateTimeOffset RetryAt, DateTimeOffset PausedUntil);
