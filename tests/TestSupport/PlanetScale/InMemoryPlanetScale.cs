using PscaleBot.Commands.Permissions;
using PscaleBot.Commands.PlanetScale;

namespace PscaleBot.Commands.Tests.Execution.Fakes;

/// <summary>
/// An in-memory PlanetScale that behaves like the API for service tokens: 404 for unknown organizations,
/// tokens and databases, 422 for unknown or mis-scoped permissions, secrets only from create, grants
/// grouped per resource, every call recording a request id in the current call context.
/// </summary>
public sealed class InMemoryPlanetScale(TimeProvider time) : IPlanetScaleService
{
    private readonly Dictionary<string, Organization> organizations = new(StringComparer.Ordinal);
    private readonly Random random = new(42);
    private readonly Queue<(string Operation, Exception Failure)> failures = new();
    private int requestCounter;

    public List<string> Calls { get; } = [];

    public Organization AddOrganization(string name, params string[] databases)
    {
        var organization = new Organization(name);
        organization.Databases.UnionWith(databases);
        organizations[name] = organization;
        return organization;
    }

    public string SeedToken(string organization, string? name, DateTimeOffset createdAt, DateTimeOffset? lastUsedAt = null, DateTimeOffset? expiresAt = null)
    {
        var id = NewId();
        organizations[organization].Tokens[id] = new StoredToken(new ServiceToken(id, name, createdAt, expiresAt, lastUsedAt));
        return id;
    }

    public void Grant(string organization, string tokenId, string? database, params string[] permissions)
    {
        var token = organizations[organization].Tokens[tokenId];
        foreach (var permission in permissions)
        {
            token.Accesses.Add(new TokenAccess(NewId(), permission, database is null ? ResourceKind.Organization : ResourceKind.Database, database ?? organization));
        }
    }

    /// <summary>The next call named <paramref name="operation"/> throws <paramref name="failure"/>.</summary>
    public void FailNext(string operation, Exception failure) => failures.Enqueue((operation, failure));

    public bool HasToken(string organization, string tokenId) => organizations[organization].Tokens.ContainsKey(tokenId);

    public IReadOnlyList<string> Held(string organization, string tokenId, string resourceName) =>
        [.. organizations[organization].Tokens[tokenId].Accesses.Where(a => a.ResourceName == resourceName).Select(a => a.Permission)];

    public Task<IReadOnlyList<ServiceToken>> ListTokensAsync(string organization, CancellationToken cancellationToken)
    {
        var org = Enter(nameof(ListTokensAsync), organization, cancellationToken);
        return Task.FromResult<IReadOnlyList<ServiceToken>>([.. org.Tokens.Values.Select(t => t.Token)]);
    }

    public Task<ServiceToken> CreateTokenAsync(string organization, string? name, TimeSpan? ttl, CancellationToken cancellationToken)
    {
        var org = Enter(nameof(CreateTokenAsync), organization, cancellationToken);
        var now = time.GetUtcNow();
        var token = new ServiceToken(NewId(), name, now, ttl is { } t ? now + t : null, null);
        org.Tokens[token.Id] = new StoredToken(token);
        var secret = "pscale_tkn_" + string.Concat(Enumerable.Range(0, 32).Select(_ => "abcdefghijklmnopqrstuvwxyz0123456789"[random.Next(36)]));
        return Task.FromResult(token with { Secret = new TokenSecret(secret) });
    }

    public Task<ServiceToken> GetTokenAsync(string organization, string tokenId, CancellationToken cancellationToken)
    {
        var org = Enter(nameof(GetTokenAsync), organization, cancellationToken);
        return Task.FromResult(TokenIn(org, tokenId).Token);
    }

    public Task DeleteTokenAsync(string organization, string tokenId, CancellationToken cancellationToken)
    {
        var org = Enter(nameof(DeleteTokenAsync), organization, cancellationToken);
        TokenIn(org, tokenId);
        org.Tokens.Remove(tokenId);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<TokenAccess>> GetAccessAsync(string organization, string tokenId, CancellationToken cancellationToken)
    {
        var org = Enter(nameof(GetAccessAsync), organization, cancellationToken);
        return Task.FromResult<IReadOnlyList<TokenAccess>>([.. TokenIn(org, tokenId).Accesses]);
    }

    public Task<IReadOnlyList<TokenAccess>> AddAccessAsync(
        string organization, string tokenId, string? database, IReadOnlyList<string> permissions, CancellationToken cancellationToken)
    {
        var org = Enter(nameof(AddAccessAsync), organization, cancellationToken);
        var token = TokenIn(org, tokenId);
        var (resource, kind) = Resource(org, database);
        foreach (var permission in permissions)
        {
            if (!PermissionCatalog.TryGet(permission, out var info) || info.Scope != kind)
            {
                throw new PlanetScaleApiException(PlanetScaleErrorKind.Invalid, $"Access {permission} is not valid for a {kind}", 422, "unprocessable", NextRequestId());
            }
        }

        foreach (var permission in permissions.Where(p => !token.Accesses.Any(a => a.ResourceName == resource && a.Permission == p)))
        {
            token.Accesses.Add(new TokenAccess(NewId(), permission, kind, resource));
        }

        return Task.FromResult<IReadOnlyList<TokenAccess>>([.. token.Accesses]);
    }

    public Task DeleteAccessAsync(
        string organization, string tokenId, string? database, IReadOnlyList<string> permissions, CancellationToken cancellationToken)
    {
        var org = Enter(nameof(DeleteAccessAsync), organization, cancellationToken);
        var token = TokenIn(org, tokenId);
        var (resource, _) = Resource(org, database);
        token.Accesses.RemoveAll(a => a.ResourceName == resource && permissions.Contains(a.Permission));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<TokenGrant>> GetGrantsAsync(string organization, string tokenId, CancellationToken cancellationToken)
    {
        var org = Enter(nameof(GetGrantsAsync), organization, cancellationToken);
        var grants = TokenIn(org, tokenId).Accesses
            .GroupBy(a => (a.ResourceName, a.ResourceKind))
            .Select(g => new TokenGrant(g.Key.ResourceName, g.Key.ResourceKind, [.. g.Select(a => a.Permission)]))
            .ToList();
        return Task.FromResult<IReadOnlyList<TokenGrant>>(grants);
    }

    public Task<IReadOnlyList<string>> ListOrganizationsAsync(CancellationToken cancellationToken)
    {
        Enter(nameof(ListOrganizationsAsync), null, cancellationToken);
        return Task.FromResult<IReadOnlyList<string>>([.. organizations.Keys]);
    }

    public Task<IReadOnlyList<string>> ListDatabasesAsync(string organization, CancellationToken cancellationToken)
    {
        var org = Enter(nameof(ListDatabasesAsync), organization, cancellationToken);
        return Task.FromResult<IReadOnlyList<string>>([.. org.Databases.Order(StringComparer.Ordinal)]);
    }

    private Organization Enter(string operation, string? organization, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Calls.Add(operation);
        var requestId = NextRequestId();
        PlanetScaleCallContext.Current?.RecordRequestId(requestId);
        if (failures.Count > 0 && failures.Peek().Operation == operation)
        {
            throw failures.Dequeue().Failure;
        }

        if (organization is null)
        {
            return null!;
        }

        return organizations.TryGetValue(organization, out var org)
            ? org
            : throw new PlanetScaleApiException(PlanetScaleErrorKind.NotFound, "Not Found", 404, "not_found", requestId);
    }

    private StoredToken TokenIn(Organization organization, string tokenId) =>
        organization.Tokens.TryGetValue(tokenId, out var token)
            ? token
            : throw new PlanetScaleApiException(PlanetScaleErrorKind.NotFound, "Not Found", 404, "not_found", $"req-{requestCounter}");

    private static (string Name, ResourceKind Kind) Resource(Organization organization, string? database)
    {
        if (database is null)
        {
            return (organization.Name, ResourceKind.Organization);
        }

        return organization.Databases.Contains(database)
            ? (database, ResourceKind.Database)
            : throw new PlanetScaleApiException(PlanetScaleErrorKind.NotFound, "Not Found", 404, "not_found");
    }

    private string NextRequestId() => $"req-{++requestCounter}";

    private string NewId() => string.Concat(Enumerable.Range(0, 12).Select(_ => "abcdefghijklmnopqrstuvwxyz0123456789"[random.Next(36)]));

    public sealed class Organization(string name)
    {
        public string Name { get; } = name;
        public HashSet<string> Databases { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, StoredToken> Tokens { get; } = new(StringComparer.Ordinal);
    }

    public sealed class StoredToken(ServiceToken token)
    {
        public ServiceToken Token { get; } = token;
        public List<TokenAccess> Accesses { get; } = [];
    }
}
