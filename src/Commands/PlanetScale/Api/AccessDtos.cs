using System.Text.Json.Serialization;

namespace PscaleBot.Commands.PlanetScale.Api;

/// <summary>
/// One access row (one permission on one resource). The <c>/access</c> endpoints nest the resource in
/// <see cref="Resource"/>; the token object's <c>service_token_accesses</c> use the flat <c>resource_*</c> fields.
/// </summary>
/// <param name="Id">The row id.</param>
/// <param name="Type">E.g. <c>DatabaseAccess</c>.</param>
/// <param name="Access">The permission name, e.g. <c>read_branch</c>.</param>
/// <param name="Description">The permission's description.</param>
/// <param name="ResourceName">Flat form: the resource name.</param>
/// <param name="ResourceId">Flat form: the resource id.</param>
/// <param name="ResourceType">Flat form: <c>Database</c> or <c>Organization</c>.</param>
/// <param name="Resource">Nested form: the resource.</param>
public sealed record TokenAccessDto(
    string? Id,
    string? Type,
    string? Access,
    string? Description,
    string? ResourceName,
    string? ResourceId,
    string? ResourceType,
    AccessResourceDto? Resource);

/// <summary>The resource of an access row.</summary>
/// <param name="Id">The resource id.</param>
/// <param name="Type"><c>Database</c> or <c>Organization</c>.</param>
/// <param name="Name">The database or organization name.</param>
/// <param name="CreatedAt">Creation time.</param>
/// <param name="UpdatedAt">Last update.</param>
public sealed record AccessResourceDto(string? Id, string? Type, string? Name, DateTimeOffset? CreatedAt, DateTimeOffset? UpdatedAt);

/// <summary>
/// Body of <c>POST</c> and <c>DELETE /service-tokens/{id}/access</c>. <see cref="Database"/> is always sent:
/// an empty string means the organization.
/// </summary>
/// <param name="Database">The database name, or <c>""</c> for an organization-level change.</param>
/// <param name="Access">The permission names.</param>
public sealed record ServiceTokenAccessRequest(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string Database,
    IReadOnlyList<string> Access);

/// <summary>A token's permissions on one resource (<c>GET /service-tokens/{id}/grants</c>).</summary>
/// <param name="Id">The grant id.</param>
/// <param name="Type">Usually <c>ServiceTokenGrant</c>.</param>
/// <param name="ResourceName">The database or organization name.</param>
/// <param name="ResourceType"><c>Database</c> or <c>Organization</c>.</param>
/// <param name="ResourceId">The resource id.</param>
/// <param name="Accesses">The permissions granted.</param>
public sealed record TokenGrantDto(
    string? Id,
    string? Type,
    string? ResourceName,
    string? ResourceType,
    string? ResourceId,
    IReadOnlyList<GrantAccessDto>? Accesses);

/// <summary>One permission of a grant.</summary>
/// <param name="Access">The permission name.</param>
/// <param name="Description">Its description.</param>
public sealed record GrantAccessDto(string? Access, string? Description);
