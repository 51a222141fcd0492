using Refit;

namespace PscaleBot.Commands.PlanetScale.Api;

/// <summary>
/// The PlanetScale HTTP API as the bot uses it (paths relative to the <c>/v1</c> base URL).
/// Endpoints 5–8 (<c>/access</c>, <c>/grants</c>) are undocumented but are what the official CLI calls.
/// Use <see cref="IPlanetScaleService"/> instead: it follows pages and words failures for people.
/// </summary>
public interface IPlanetScaleApi
{
    /// <summary>The organizations the credentials can see.</summary>
    [Get("/organizations")]
    Task<PlanetScaleList<OrganizationDto>> ListOrganizationsAsync(
        [Query] int page, [Query, AliasAs("per_page")] int perPage, CancellationToken cancellationToken);

    /// <summary>The organization's databases.</summary>
    [Get("/organizations/{organization}/databases")]
    Task<PlanetScaleList<DatabaseDto>> ListDatabasesAsync(
        string organization, [Query] int page, [Query, AliasAs("per_page")] int perPage, CancellationToken cancellationToken);

    /// <summary>1. Lists service tokens (needs <c>read_service_tokens</c>).</summary>
    [Get("/organizations/{organization}/service-tokens")]
    Task<PlanetScaleList<ServiceTokenDto>> ListServiceTokensAsync(
        string organization, [Query] int page, [Query, AliasAs("per_page")] int perPage, CancellationToken cancellationToken);

    /// <summary>2. Creates a token; the answer holds the secret once (needs <c>write_service_tokens</c>).</summary>
    [Post("/organizations/{organization}/service-tokens")]
    Task<ServiceTokenDto> CreateServiceTokenAsync(
        string organization, [Body] CreateServiceTokenRequest request, CancellationToken cancellationToken);

    /// <summary>3. One token, without its secret (needs <c>read_service_tokens</c>).</summary>
    [Get("/organizations/{organization}/service-tokens/{id}")]
    Task<ServiceTokenDto> GetServiceTokenAsync(string organization, string id, CancellationToken cancellationToken);

    /// <summary>4. Deletes a token; 204 (needs <c>delete_service_tokens</c>).</summary>
    [Delete("/organizations/{organization}/service-tokens/{id}")]
    Task DeleteServiceTokenAsync(string organization, string id, CancellationToken cancellationToken);

    /// <summary>5. The token's access rows, one per permission.</summary>
    [Get("/organizations/{organization}/service-tokens/{id}/access")]
    Task<PlanetScaleList<TokenAccessDto>> GetServiceTokenAccessAsync(
        string organization, string id, [Query] int page, [Query, AliasAs("per_page")] int perPage, CancellationToken cancellationToken);

    /// <summary>6. Adds permissions; answers with access rows.</summary>
    [Post("/organizations/{organization}/service-tokens/{id}/access")]
    Task<PlanetScaleList<TokenAccessDto>> AddServiceTokenAccessAsync(
        string organization, string id, [Body] ServiceTokenAccessRequest request, CancellationToken cancellationToken);

    /// <summary>7. Removes permissions: a DELETE with a JSON body.</summary>
    [Delete("/organizations/{organization}/service-tokens/{id}/access")]
    Task DeleteServiceTokenAccessAsync(
        string organization, string id, [Body] ServiceTokenAccessRequest request, CancellationToken cancellationToken);

    /// <summary>8. The token's permissions grouped per resource.</summary>
    [Get("/organizations/{organization}/service-tokens/{id}/grants")]
    Task<PlanetScaleList<TokenGrantDto>> GetServiceTokenGrantsAsync(
        string organization, string id, [Query] int page, [Query, AliasAs("per_page")] int perPage, CancellationToken cancellationToken);

    /// <summary>9. The organization's audit log, newest first, one cursor page (needs <c>read_audit_logs</c>).</summary>
    [Get("/organizations/{organization}/audit-log")]
    Task<AuditLogPageDto> ListAuditLogAsync(
        string organization, [Query, AliasAs("starting_after")] string? startingAfter, [Query] int limit, CancellationToken cancellationToken);
}
