namespace PscaleBot.Commands.PlanetScale.Api;

/// <summary>An organization of <c>GET /organizations</c>; only the fields the bot reads.</summary>
/// <param name="Id">The organization id.</param>
/// <param name="Name">The organization name, used in paths.</param>
public sealed record OrganizationDto(string? Id, string? Name);

/// <summary>A database of <c>GET /organizations/{org}/databases</c>; only the fields the bot reads.</summary>
/// <param name="Id">The database id.</param>
/// <param name="Name">The database name.</param>
public sealed record DatabaseDto(string? Id, string? Name);
