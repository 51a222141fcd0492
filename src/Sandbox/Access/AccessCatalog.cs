using PscaleBot.Sandbox.State;

namespace PscaleBot.Sandbox.Access;

/// <summary>
/// The service-token permission names the sandbox accepts, with their scope and description
/// (planetscale-api.md §2.1 and §2.2, including the OpenAPI-only names). Kept separate from
/// the bot's own catalogue on purpose: the sandbox simulates the API, it does not share the client's view of it.
/// </summary>
internal static class AccessCatalog
{
    private static readonly Dictionary<string, (ResourceType Scope, string Description)> Entries = Build();

    /// <summary>All names, organization-level first.</summary>
    public static IEnumerable<string> Names => Entries.Keys;

    /// <summary>The scope of a known name, or null when the name is unknown.</summary>
    public static ResourceType? ScopeOf(string access) => Entries.TryGetValue(access, out var e) ? e.Scope : null;

    /// <summary>The description of a known name; empty for an unknown one.</summary>
    public static string DescriptionOf(string access) => Entries.TryGetValue(access, out var e) ? e.Description : "";

    private static Dictionary<string, (ResourceType, string)> Build()
    {
        var entries = new Dictionary<string, (ResourceType, string)>(StringComparer.Ordinal);
        void Org(string name, string description) => entries.Add(name, (ResourceType.Organization, description));
        void Db(string name, string description) => entries.Add(name, (ResourceType.Database, description));

        Org("read_organization", "Get information about an organization");
        Org("write_organization", "Update organization members");
        Org("read_invoices", "Get invoices for an organization");
        Org("read_audit_logs", "Get audit logs for an organization");
        Org("read_databases", "Get information about an organization's databases");
        Org("create_databases", "Create organization databases");
        Org("delete_databases", "Delete organization databases");
        Org("read_oauth_applications", "Get information about an organization's OAuth applications and their tokens");
        Org("read_oauth_tokens", "Get OAuth tokens for an OAuth application");
        Org("write_oauth_tokens", "Create and refresh OAuth grants and tokens for an OAuth application");
        Org("delete_oauth_tokens", "Delete OAuth tokens for an OAuth application");
        Org("read_service_tokens", "Get information about service tokens");
        Org("write_service_tokens", "Create and update service tokens");
        Org("delete_service_tokens", "Delete service tokens");
        Org("write_teams", "Create and update teams");
        Org("read_metrics_endpoints", "Get information about branch metrics endpoints");

        Db("read_database", "Get information about a database");
        Db("write_database", "Update information about a database");
        Db("delete_database", "Delete a database");
        Db("create_branch", "Create a database branch");
        Db("read_branch", "Read a database branch");
        Db("delete_branch", "Delete a database branch");
        Db("delete_production_branch", "Delete a production database branch");
        Db("connect_branch", "Connect to a database branch");
        Db("connect_production_branch", "Connect to a production database branch");
        Db("connect_production_read_only_branch", "Connect to a production database branch read-only");
        Db("create_branch_password", "Create a password for a non-production branch");
        Db("create_production_branch_password", "Create a password for a production branch");
        Db("create_production_read_only_branch_password", "Create a read-only password for a production branch");
        Db("delete_branch_password", "Delete a password for a non-production branch");
        Db("delete_production_branch_password", "Delete a password for a production branch");
        Db("delete_production_read_only_branch_password", "Delete a read-only password for a production branch");
        Db("create_deploy_request", "Create a deploy request");
        Db("read_deploy_request", "Read a deploy request");
        Db("approve_deploy_request", "Approve a deploy request");
        Db("review_deploy_request", "Review a deploy request");
        Db("create_comment", "Create a deploy request comment");
        Db("read_comment", "Read a deploy request comment");
        Db("read_backups", "List backups");
        Db("write_backups", "Create and update backups");
        Db("delete_backups", "Delete development branch backups");
        Db("delete_production_branch_backups", "Delete production branch backups");
        Db("restore_backup", "Restore a development branch backup");
        Db("restore_production_branch_backup", "Restore a production branch backup");
        Db("write_branch_vschema", "Update the VSchema for a database branch");
        Db("write_production_branch_vschema", "Update the VSchema for a production database branch");
        Db("promote_branches", "Promote a branch to production");
        Db("demote_branches", "Demote a production branch");
        return entries;
    }
}
