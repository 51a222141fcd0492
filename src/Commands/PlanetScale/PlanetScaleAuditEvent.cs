namespace PscaleBot.Commands.PlanetScale;

/// <summary>One event of PlanetScale's own audit log about a service token.</summary>
/// <param name="Id">The event id.</param>
/// <param name="Time">When it happened.</param>
/// <param name="Action">e.g. <c>service_token.created</c>, <c>service_token.access_granted</c>.</param>
/// <param name="ActorId">Who did it (a user id or a token id), if known.</param>
/// <param name="ActorType"><c>User</c> or <c>ServiceToken</c>, if known.</param>
/// <param name="ActorName">The actor's display name, if known.</param>
/// <param name="TokenId">The token changed.</param>
/// <param name="TokenName">Its name, if known.</param>
/// <param name="Details">The event's metadata as <c>key=value</c> pairs (permissions, database), sorted.</param>
public sealed record PlanetScaleAuditEvent(
    string Id,
    DateTimeOffset Time,
    string Action,
    string? ActorId,
    string? ActorType,
    string? ActorName,
    string? TokenId,
    string? TokenName,
    IReadOnlyList<string> Details);
