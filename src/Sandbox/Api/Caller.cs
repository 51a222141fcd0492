using PscaleBot.Sandbox.State;

namespace PscaleBot.Sandbox.Api;

/// <summary>
/// Who is calling: a service token (limited to its own organization and its accesses) or the
/// Bearer access token's user (an admin of every organization). Checks read the live state, so a grant
/// removed a moment ago no longer counts.
/// </summary>
/// <param name="Id">Token id, or the user id for Bearer callers.</param>
/// <param name="DisplayName">Name shown as <c>actor_display_name</c>.</param>
/// <param name="IsServiceToken">False for the Bearer user.</param>
internal sealed record Caller(string Id, string DisplayName, bool IsServiceToken)
{
    /// <summary>The user behind the Bearer access token.</summary>
    public static Caller AdminUser { get; } = new("usr0sandbox1", "Sandbox Admin", false);

    /// <summary><c>User</c> or <c>ServiceToken</c>, for <c>actor_type</c>.</summary>
    public string ActorType => IsServiceToken ? "ServiceToken" : "User";

    /// <summary>True when the caller holds this organization-level access.</summary>
    public bool Has(SandboxState state, OrganizationRecord organization, string access)
    {
        if (!IsServiceToken)
        {
            return true;
        }

        var token = OwnToken(state, organization);
        return token is not null && token.Accesses.Exists(a =>
            a.ResourceType == ResourceType.Organization && a.ResourceId == organization.Id && a.Access == access);
    }

    /// <summary>True when the organization appears in the caller's <c>GET /organizations</c>.</summary>
    public bool CanSee(SandboxState state, OrganizationRecord organization) =>
        !IsServiceToken || OwnToken(state, organization) is { Accesses.Count: > 0 };

    /// <summary>The databases the caller can list: all with <c>read_databases</c>, else those it holds any access on.</summary>
    public IEnumerable<DatabaseRecord> VisibleDatabases(SandboxState state, OrganizationRecord organization)
    {
        if (Has(state, organization, "read_databases"))
        {
            return organization.Databases;
        }

        var token = OwnToken(state, organization);
        if (token is null)
        {
            return [];
        }

        return organization.Databases.Where(d =>
            token.Accesses.Exists(a => a.ResourceType == ResourceType.Database && a.ResourceId == d.Id));
    }

    private TokenRecord? OwnToken(SandboxState state, OrganizationRecord organization) =>
        state.FindToken(organization.Name, Id);
}
