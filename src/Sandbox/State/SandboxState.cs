namespace PscaleBot.Sandbox.State;

/// <summary>Everything the sandbox knows; persisted as one JSON document. Mutated only under <see cref="SandboxStateStore"/>'s lock.</summary>
internal sealed class SandboxState
{
    /// <summary>Format version of the persisted document.</summary>
    public int Version { get; set; } = 1;

    /// <summary>The organizations, each with its databases.</summary>
    public List<OrganizationRecord> Organizations { get; set; } = [];

    /// <summary>Every service token of every organization.</summary>
    public List<TokenRecord> Tokens { get; set; } = [];

    /// <summary>Service-token changes, oldest first (served newest first).</summary>
    public List<AuditEventRecord> AuditEvents { get; set; } = [];

    /// <summary>The organization with this name (case-sensitive, as PlanetScale names are lower-case).</summary>
    public OrganizationRecord? FindOrganization(string name) => Organizations.Find(o => o.Name == name);

    /// <summary>The token with this id in this organization.</summary>
    public TokenRecord? FindToken(string organization, string id) =>
        Tokens.Find(t => t.Id == id && t.Organization == organization);

    /// <summary>True when any token, access row, organization or database already uses this id.</summary>
    public bool IsIdTaken(string id) =>
        Tokens.Exists(t => t.Id == id || t.Accesses.Exists(a => a.Id == id))
        || Organizations.Exists(o => o.Id == id || o.Databases.Exists(d => d.Id == id));
}

/// <summary>An organization.</summary>
internal sealed class OrganizationRecord
{
    /// <summary>12-character id.</summary>
    public required string Id { get; set; }
    /// <summary>The name used in URLs.</summary>
    public required string Name { get; set; }
    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The organization's databases.</summary>
    public List<DatabaseRecord> Databases { get; set; } = [];

    /// <summary>The database with this name.</summary>
    public DatabaseRecord? FindDatabase(string name) => Databases.Find(d => d.Name == name);
}

/// <summary>A database of an organization.</summary>
internal sealed class DatabaseRecord
{
    /// <summary>12-character id.</summary>
    public required string Id { get; set; }
    /// <summary>The database name.</summary>
    public required string Name { get; set; }
    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A service token. The secret is kept only as a SHA-256 hash, as a real API would.</summary>
internal sealed class TokenRecord
{
    /// <summary>12 lower-case alphanumerics.</summary>
    public required string Id { get; set; }
    /// <summary>The organization that owns it.</summary>
    public required string Organization { get; set; }
    /// <summary>Optional name.</summary>
    public string? Name { get; set; }
    /// <summary>Hex SHA-256 of the plaintext secret.</summary>
    public required string SecretHash { get; set; }
    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Last change (name, accesses).</summary>
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>When it stops authenticating, if created with a TTL.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
    /// <summary>Last successful authentication.</summary>
    public DateTimeOffset? LastUsedAt { get; set; }
    /// <summary>Who created it.</summary>
    public string? ActorId { get; set; }
    /// <summary>Display name of the creator.</summary>
    public string? ActorDisplayName { get; set; }
    /// <summary><c>User</c> or <c>ServiceToken</c>.</summary>
    public string? ActorType { get; set; }
    /// <summary>One row per permission, in the order granted.</summary>
    public List<AccessRecord> Accesses { get; set; } = [];

    /// <summary>True once the TTL has passed.</summary>
    public bool IsExpiredAt(DateTimeOffset now) => ExpiresAt is { } expires && expires <= now;
}

/// <summary>One permission of a token on one resource.</summary>
internal sealed class AccessRecord
{
    /// <summary>12-character id of the row.</summary>
    public required string Id { get; set; }
    /// <summary>The permission name, e.g. <c>read_branch</c>.</summary>
    public required string Access { get; set; }
    /// <summary>The kind of resource.</summary>
    public required ResourceType ResourceType { get; set; }
    /// <summary>Id of the database or organization.</summary>
    public required string ResourceId { get; set; }
    /// <summary>Name of the database or organization.</summary>
    public required string ResourceName { get; set; }
    /// <summary>When it was granted.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>What a permission applies to (serialised as <c>Database</c>/<c>Organization</c>).</summary>
internal enum ResourceType
{
    /// <summary>A database.</summary>
    Database,
    /// <summary>The organization.</summary>
    Organization,
}
