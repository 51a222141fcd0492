using System.Collections.Frozen;
using PscaleBot.Commands.PlanetScale;

namespace PscaleBot.Commands.Permissions;

/// <summary>One service-token permission and where it applies.</summary>
public sealed record PermissionInfo(string Name, ResourceKind Scope, string Description);

/// <summary>
/// Every service-token permission PlanetScale knows: the documented organization- and database-level
/// lists plus the names only the OpenAPI document's "Service Token Accesses" lines carry
/// (reference notes §2). OAuth scopes (plural, <c>manage_*</c>) are a different vocabulary and are not here.
/// </summary>
public static class PermissionCatalog
{
    private static readonly PermissionInfo[] Entries =
    [
        Org("read_organization", "Get information about an organization"),
        Org("write_organization", "Update organization members (OpenAPI only)"),
        Org("read_invoices", "Get invoices for an organization"),
        Org("read_audit_logs", "Get audit logs for an organization"),
        Org("read_databases", "Get information about an organization's databases"),
        Org("create_databases", "Create organization databases"),
        Org("delete_databases", "Delete organization databases"),
        Org("read_oauth_applications", "Get information about an organization's OAuth applications and their tokens"),
        Org("read_oauth_tokens", "Get OAuth tokens for an OAuth application"),
        Org("write_oauth_tokens", "Create and refresh OAuth grants and tokens for an OAuth application"),
        Org("delete_oauth_tokens", "Delete OAuth tokens for an OAuth application"),
        Org("read_service_tokens", "Get information about service tokens"),
        Org("write_service_tokens", "Create and update service tokens"),
        Org("delete_service_tokens", "Delete service tokens"),
        Org("write_teams", "Create and update teams"),
        Org("read_metrics_endpoints", "Get information about branch metrics endpoints"),

        Db("read_database", "Get information about a database"),
        Db("write_database", "Update information about a database"),
        Db("delete_database", "Delete a database"),
        Db("create_branch", "Create a database branch"),
        Db("read_branch", "Read a database branch"),
        Db("delete_branch", "Delete a database branch"),
        Db("delete_production_branch", "Delete a production database branch"),
        Db("connect_branch", "Connect to a database branch"),
        Db("connect_production_branch", "Connect to a production database branch"),
        Db("connect_production_read_only_branch", "Connect to a production branch read-only (OpenAPI only)"),
        Db("create_branch_password", "Create a password or role for a non-production branch (OpenAPI only)"),
        Db("create_production_branch_password", "Create a password or role for a production branch (OpenAPI only)"),
        Db("create_production_read_only_branch_password", "Create a read-only password for a production branch (OpenAPI only)"),
        Db("delete_branch_password", "Delete a password for a non-production branch"),
        Db("delete_production_branch_password", "Delete a password for a production branch"),
        Db("delete_production_read_only_branch_password", "Delete a read-only password for a production branch (OpenAPI only)"),
        Db("promote_branches", "Promote branches to production (OpenAPI only)"),
        Db("demote_branches", "Demote production branches (OpenAPI only)"),
        Db("create_deploy_request", "Create a deploy request"),
        Db("read_deploy_request", "Read a deploy request"),
        Db("approve_deploy_request", "Approve a deploy request"),
        Db("review_deploy_request", "Review a deploy request (OpenAPI only)"),
        Db("create_comment", "Create a deploy request comment"),
        Db("read_comment", "Read a deploy request comment"),
        Db("read_backups", "List backups"),
        Db("write_backups", "Create and update backups"),
        Db("delete_backups", "Delete development branch backups"),
        Db("delete_production_branch_backups", "Delete production branch backups"),
        Db("restore_backup", "Restore a development branch backup"),
        Db("restore_production_branch_backup", "Restore a production branch backup"),
        Db("write_branch_vschema", "Update the VSchema for a database branch"),
        Db("write_production_branch_vschema", "Update the VSchema for a production database branch"),
    ];

    private static readonly FrozenDictionary<string, PermissionInfo> ByName =
        Entries.ToFrozenDictionary(e => e.Name, StringComparer.Ordinal);

    /// <summary>All permissions, organization-level first, in documentation order.</summary>
    public static IReadOnlyList<PermissionInfo> All => Entries;

    /// <summary>Looks a permission up by its exact (lower-case) name.</summary>
    public static bool TryGet(string name, out PermissionInfo info) => ByName.TryGetValue(name, out info!);

    /// <summary>True when <paramref name="name"/> is a known permission.</summary>
    public static bool IsKnown(string name) => ByName.ContainsKey(name);

    private static PermissionInfo Org(string name, string description) => new(name, ResourceKind.Organization, description);

    private static PermissionInfo Db(string name, string description) => new(name, ResourceKind.Database, description);
}
