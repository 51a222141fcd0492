using System.Collections.Frozen;
using PscaleBot.Commands.Permissions;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Text;

namespace PscaleBot.Commands.Grammar;

/// <summary>
/// Reads the <c>&lt;PERMISSION&gt;...</c> arguments of <c>add-access</c> and <c>delete-access</c>:
/// space- or comma-separated, case-insensitive, duplicates collapsed, each checked against
/// <see cref="PermissionCatalog"/>, and checked against <c>--database</c> for scope.
/// </summary>
internal static class PermissionArguments
{
    private const int MaxExplained = 5;

    private static readonly string[] OAuthPrefixes = ["organization:", "database:", "branch:", "user:"];

    // OAuth scopes from the OpenAPI document's securitySchemes (prefixes removed) that are NOT also
    // service-token permissions, mapped to the service-token permission doing the same job, when one exists.
    private static readonly FrozenDictionary<string, string?> OAuthScopes = new Dictionary<string, string?>
    {
        ["read_branches"] = "read_branch",
        ["write_branches"] = "create_branch",
        ["write_branch"] = "create_branch",
        ["delete_branches"] = "delete_branch",
        ["delete_production_branches"] = "delete_production_branch",
        ["read_deploy_requests"] = "read_deploy_request",
        ["write_deploy_requests"] = "create_deploy_request",
        ["approve_deploy_requests"] = "approve_deploy_request",
        ["deploy_deploy_requests"] = null,
        ["read_comments"] = "read_comment",
        ["write_comments"] = "create_comment",
        ["restore_backups"] = "restore_backup",
        ["restore_production_branch_backups"] = "restore_production_branch_backup",
        ["write_databases"] = "write_database",
        ["read_organizations"] = "read_organization",
        ["delete_organization"] = null,
        ["read_members"] = null,
        ["write_members"] = null,
        ["delete_members"] = null,
        ["read_user"] = null,
        ["write_user"] = null,
        ["manage_passwords"] = null,
        ["manage_read_only_passwords"] = null,
        ["manage_production_branch_passwords"] = null,
        ["manage_production_read_only_passwords"] = null,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Splits, normalises and validates <paramref name="words"/>. On success <paramref name="permissions"/>
    /// holds the distinct names in first-seen order; otherwise <paramref name="error"/> says what is wrong.
    /// </summary>
    public static bool TryRead(
        IEnumerable<string> words,
        bool hasDatabase,
        out IReadOnlyList<string> permissions,
        out string? error)
    {
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in words)
        {
            foreach (var piece in word.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var name = piece.ToLowerInvariant();
                if (seen.Add(name))
                {
                    names.Add(name);
                }
            }
        }

        permissions = names;
        error = null;
        if (names.Count == 0)
        {
            error = "missing PERMISSION: name at least one permission, like `read_branch`";
            return false;
        }

        var unknown = names.Where(n => !PermissionCatalog.IsKnown(n)).ToList();
        if (unknown.Count > 0)
        {
            // A pasted paragraph should not come back as a hundred lines.
            var lines = unknown.Take(MaxExplained).Select(Explain).ToList();
            if (unknown.Count > MaxExplained)
            {
                lines.Add($"…and {unknown.Count - MaxExplained} more unknown permissions");
            }

            error = string.Join("\n", lines);
            return false;
        }

        var database = names.Where(n => ScopeOf(n) == ResourceKind.Database).ToList();
        var organization = names.Where(n => ScopeOf(n) == ResourceKind.Organization).ToList();
        if (database.Count > 0 && organization.Count > 0)
        {
            error = $"{Describe(organization, "organization")} and {Describe(database, "database")}: " +
                    "grant them separately, the database ones with `--database <name>` and the organization ones without it";
            return false;
        }

        if (database.Count > 0 && !hasDatabase)
        {
            error = $"{Describe(database, "database")}: add `--database <name>`";
            return false;
        }

        if (organization.Count > 0 && hasDatabase)
        {
            error = $"{Describe(organization, "organization")}: remove `--database`";
            return false;
        }

        return true;
    }

    /// <summary>Why <paramref name="name"/> is not a service-token permission, and what was probably meant.</summary>
    internal static string Explain(string name)
    {
        var shown = name.Length <= 60 ? name : name[..60] + "…";

        foreach (var prefix in OAuthPrefixes)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                var bare = name[prefix.Length..];
                var equivalent = PermissionCatalog.IsKnown(bare) ? bare : OAuthScopes.GetValueOrDefault(bare) ?? SingularOf(bare);
                return equivalent is null
                    ? $"`{shown}` is an OAuth scope, not a service-token permission, and service tokens have no equivalent (type `help permissions` for the list)"
                    : $"`{shown}` is an OAuth scope, not a service-token permission: use `{equivalent}`";
            }
        }

        if (OAuthScopes.TryGetValue(name, out var mapped) || name.StartsWith("manage_", StringComparison.Ordinal))
        {
            mapped ??= SingularOf(name);
            return mapped is null
                ? $"`{shown}` is an OAuth scope, not a service-token permission, and service tokens have no equivalent (type `help permissions` for the list)"
                : $"`{shown}` is an OAuth scope, not a service-token permission: service tokens use `{mapped}`";
        }

        if (SingularOf(name) is { } singular)
        {
            return $"unknown permission `{shown}`: service tokens use the singular `{singular}` (plural names are OAuth scopes)";
        }

        var closest = NameSuggester.Closest(name, PermissionCatalog.All.Select(p => p.Name));
        return closest is null
            ? $"unknown permission `{shown}`: type `help permissions` for the list"
            : $"unknown permission `{shown}`: did you mean `{closest}`?";
    }

    private static string? SingularOf(string name)
    {
        if (name.EndsWith("es", StringComparison.Ordinal) && PermissionCatalog.IsKnown(name[..^2]))
        {
            return name[..^2];
        }

        return name.EndsWith('s') && PermissionCatalog.IsKnown(name[..^1]) ? name[..^1] : null;
    }

    private static ResourceKind ScopeOf(string name) =>
        PermissionCatalog.TryGet(name, out var info) ? info.Scope : ResourceKind.Database;

    // "`read_branch` is a database permission", "`a`, `b` are organization permissions".
    private static string Describe(IReadOnlyList<string> names, string scope)
    {
        var list = string.Join(", ", names.Select(n => $"`{n}`"));
        if (names.Count > 1)
        {
            return $"{list} are {scope} permissions";
        }

        var article = "aeiou".Contains(scope[0]) ? "an" : "a";
        return $"{list} is {article} {scope} permission";
    }
}
