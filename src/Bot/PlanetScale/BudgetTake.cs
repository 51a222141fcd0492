namespace PscaleBot.Bot.PlanetScale;

/// <summary>What the shared counter answered to one take.</summary>
/// <param name="Granted">True when a request slot was taken.</param>
/// <param name="Used">Slots taken in the window after this take.</param>
/// <param name="WindowStart">Start of the window the counter is in.</param>
/// <param name="PausedUntil">No slot is handed out before this (a 429's Retry-After), on any replica.</param>
public sealed record BudgetTake(bool Granted, int Used, DateTimeOffset WindowStart, DateTimeOffset PausedUntil);
