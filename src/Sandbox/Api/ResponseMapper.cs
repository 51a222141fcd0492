using PscaleBot.Sandbox.Access;
using PscaleBot.Sandbox.State;

namespace PscaleBot.Sandbox.Api;

/// <summary>Turns state records into the API's JSON shapes.</summary>
internal static class ResponseMapper
{
    /// <summary>A token; <paramref name="secret"/> only in the answer to create, accesses only where the API includes them.</summary>
    public static ServiceTokenDto Token(SandboxState state, TokenRecord token, string? secret, bool withAccesses) => new(
        token.Id,
        "ServiceToken",
        secret,
        null,
        token.Name,
        token.Name ?? token.Id,
        $"https://app.planetscale.com/gravatar-fallback/{token.Id}.png",
        SandboxJson.Timestamp(token.CreatedAt),
        SandboxJson.Timestamp(token.UpdatedAt),
        SandboxJson.Timestamp(token.ExpiresAt),
        SandboxJson.Timestamp(token.LastUsedAt),
        token.ActorId,
        token.ActorDisplayName,
        token.ActorType,
        withAccesses ? token.Accesses.Select(a => TokenAccess(state, token, a)).ToList() : null,
        null);

    /// <summary>A row of <c>…/access</c>.</summary>
    public static AccessRowDto AccessRow(SandboxState state, TokenRecord token, AccessRecord access)
    {
        var (createdAt, _) = ResourceTimes(state, token, access);
        return new AccessRowDto(
            access.Id,
            access.ResourceType == ResourceType.Database ? "DatabaseAccess" : "OrganizationAccess",
            access.Access,
            new AccessRowResourceDto(access.ResourceId, access.ResourceType.ToString(), access.ResourceName,
                SandboxJson.Timestamp(createdAt), SandboxJson.Timestamp(createdAt)));
    }

    /// <summary>The grants of a token: one per resource, in the order each resource was first granted.</summary>
    public static IReadOnlyList<GrantDto> Grants(TokenRecord token) => token.Accesses
        .GroupBy(a => (a.ResourceType, a.ResourceId))
        .Select(g => new GrantDto(
            g.Key.ResourceId,
            "ServiceTokenGrant",
            g.First().ResourceName,
            g.Key.ResourceType.ToString(),
            g.Key.ResourceId,
            g.Select(a => new GrantAccessDto(a.Access, AccessCatalog.DescriptionOf(a.Access))).ToList()))
        .ToList();

    /// <summary>An organization.</summary>
    public static OrganizationDto Organization(OrganizationRecord org) => new(
        org.Id, "Organization", org.Name, $"billing@{org.Name}.example", SandboxJson.Timestamp(org.CreatedAt),
        SandboxJson.Timestamp(org.CreatedAt), "scaler_pro", true, false, false, false, false, false,
        org.Databases.Count, null, new Dictionary<string, bool> { ["insights"] = true }, false, "0.0", 32, true, false);

    /// <summary>A database.</summary>
    public static DatabaseDto Database(OrganizationRecord org, DatabaseRecord db)
    {
        var url = $"https://api.planetscale.com/v1/organizations/{org.Name}/databases/{db.Name}";
        var at = SandboxJson.Timestamp(db.CreatedAt);
        return new DatabaseDto(
            db.Id, "Database", url, url + "/branches", 2, 0, 1, 1, 0, false, true, false, false, null,
            new RegionDto("pscale-us-east-1", "AWS", true, [], "AWS us-east-1 (N. Virginia)", "Ashburn, Virginia", "us-east", true, true, true),
            $"https://app.planetscale.com/{org.Name}/{db.Name}", db.Name, "ready", false, 1, 0, 0, "main", false,
            db.Name == "prod", false, false, false, false, true, true, false, false, "scaler_pro", true, false, null, null,
            at, at, at, "mysql");
    }

    private static ServiceTokenAccessDto TokenAccess(SandboxState state, TokenRecord token, AccessRecord access)
    {
        var (createdAt, deletedAt) = ResourceTimes(state, token, access);
        return new ServiceTokenAccessDto(
            access.Id, access.Access, AccessCatalog.DescriptionOf(access.Access), access.ResourceName, access.ResourceId,
            access.ResourceType.ToString(),
            new AccessResourceDto(access.ResourceId, access.ResourceName, SandboxJson.Timestamp(createdAt),
                SandboxJson.Timestamp(createdAt), SandboxJson.Timestamp(deletedAt)));
    }

    private static (DateTimeOffset CreatedAt, DateTimeOffset? DeletedAt) ResourceTimes(SandboxState state, TokenRecord token, AccessRecord access)
    {
        var org = state.FindOrganization(token.Organization);
        if (access.ResourceType == ResourceType.Organization)
        {
            return (org?.CreatedAt ?? access.CreatedAt, null);
        }

        var db = org?.Databases.Find(d => d.Id == access.ResourceId);
        return (db?.CreatedAt ?? access.CreatedAt, null);
    }
}
