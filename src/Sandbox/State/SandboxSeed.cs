namespace PscaleBot.Sandbox.State;

/// <summary>
/// The state a fresh sandbox starts from. Ids are fixed so docs and tests can name them (see README.md);
/// times are relative to the start so the seeded TTL token is always in the future.
/// </summary>
public static class SandboxSeed
{
    /// <summary>The organization the bot works in.</summary>
    public const string Organization = "acme";
    /// <summary>A second organization the bot's credential has no access to (for 404 tests).</summary>
    public const string HiddenOrganization = "globex";

    /// <summary>The bot's own credential (org-level read/write/delete service tokens, read org and databases).</summary>
    public const string BotTokenId = "pscalebot001";
    /// <summary>CI deploy token with grants on prod and staging.</summary>
    public const string CiDeployTokenId = "ci7deploy0a1";
    /// <summary>Read-only analytics token.</summary>
    public const string AnalyticsTokenId = "an4lyt1csro0";
    /// <summary>Org-level admin-ish token.</summary>
    public const string OrgAdminTokenId = "orgadm1n0tk3";
    /// <summary>Unnamed token without grants.</summary>
    public const string UnnamedTokenId = "n0grants0000";
    /// <summary>Token with a 7-day TTL from the start of the sandbox.</summary>
    public const string TemporaryTokenId = "tmp7day0tkn1";
    /// <summary>Token of the hidden organization.</summary>
    public const string HiddenOrgTokenId = "gl0bex0tkn01";

    /// <summary>Builds the seed; <paramref name="botSecret"/> becomes the bot credential's secret.</summary>
    internal static SandboxState Create(DateTimeOffset now, string botSecret)
    {
        var created = now.AddDays(-30);
        var acme = new OrganizationRecord
        {
            Id = "acm3org0001x",
            Name = Organization,
            CreatedAt = created.AddDays(-300),
            Databases =
            [
                new DatabaseRecord { Id = "pr0ddb000001", Name = "prod", CreatedAt = created.AddDays(-200) },
                new DatabaseRecord { Id = "st4gdb000002", Name = "staging", CreatedAt = created.AddDays(-199) },
                new DatabaseRecord { Id = "an4ldb000003", Name = "analytics", CreatedAt = created.AddDays(-100) },
            ],
        };
        var globex = new OrganizationRecord
        {
            Id = "gl0bexorg001",
            Name = HiddenOrganization,
            CreatedAt = created.AddDays(-250),
            Databases = [new DatabaseRecord { Id = "b1llingdb001", Name = "billing", CreatedAt = created.AddDays(-240) }],
        };

        var state = new SandboxState { Organizations = [acme, globex] };
        var accessNumber = 0;
        AccessRecord OrgAccess(OrganizationRecord org, string access, DateTimeOffset at) => new()
        {
            Id = $"acc{++accessNumber:D9}", Access = access, ResourceType = ResourceType.Organization,
            ResourceId = org.Id, ResourceName = org.Name, CreatedAt = at,
        };
        AccessRecord DbAccess(OrganizationRecord org, string database, string access, DateTimeOffset at)
        {
            var db = org.FindDatabase(database)!;
            return new()
            {
                Id = $"acc{++accessNumber:D9}", Access = access, ResourceType = ResourceType.Database,
                ResourceId = db.Id, ResourceName = db.Name, CreatedAt = at,
            };
        }
        TokenRecord Token(string id, string org, string? name, DateTimeOffset at, string? secret = null) => new()
        {
            Id = id, Organization = org, Name = name, SecretHash = Credentials.Hash(secret ?? Credentials.NewSecret()),
            CreatedAt = at, UpdatedAt = at, ActorId = "usr0sandbox1", ActorDisplayName = "Sandbox Admin", ActorType = "User",
        };

        var bot = Token(BotTokenId, Organization, "pscale-bot", created, botSecret);
        bot.Accesses.AddRange(
            new[] { "read_organization", "read_databases", "read_service_tokens", "write_service_tokens", "delete_service_tokens", "read_audit_logs" }
                .Select(a => OrgAccess(acme, a, created)));

        var ci = Token(CiDeployTokenId, Organization, "ci-deploy", created.AddDays(1));
        ci.Accesses.AddRange(new[] { "read_branch", "create_deploy_request", "read_deploy_request" }
            .Select(a => DbAccess(acme, "prod", a, created.AddDays(1))));
        ci.Accesses.AddRange(new[] { "read_branch", "create_branch", "delete_branch", "create_deploy_request" }
            .Select(a => DbAccess(acme, "staging", a, created.AddDays(1))));

        var analytics = Token(AnalyticsTokenId, Organization, "analytics-readonly", created.AddDays(2));
        analytics.Accesses.AddRange(new[] { "read_database", "read_branch", "connect_branch" }
            .Select(a => DbAccess(acme, "analytics", a, created.AddDays(2))));

        var admin = Token(OrgAdminTokenId, Organization, "org-admin", created.AddDays(3));
        admin.Accesses.AddRange(new[] { "read_organization", "create_databases", "delete_databases", "read_audit_logs" }
            .Select(a => OrgAccess(acme, a, created.AddDays(3))));

        var unnamed = Token(UnnamedTokenId, Organization, null, created.AddDays(4));

        var temporary = Token(TemporaryTokenId, Organization, "temp-migration", now);
        temporary.ExpiresAt = now.AddDays(7);
        temporary.Accesses.Add(DbAccess(acme, "prod", "connect_production_branch", now));

        var hidden = Token(HiddenOrgTokenId, HiddenOrganization, "globex-ci", created);
        hidden.Accesses.Add(DbAccess(globex, "billing", "read_branch", created));

        state.Tokens.AddRange([bot, ci, analytics, admin, unnamed, temporary, hidden]);
        return state;
    }
}
