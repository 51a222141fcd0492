using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Execution;

/// <summary>
/// Builds <see cref="PermissionTable"/>s from what the API returns, with rows sorted databases by name
/// first, then the organization (the CLI's order is random: it groups through a Go map).
/// </summary>
public static class PermissionTableBuilder
{
    /// <summary>The token's grants as they are (<c>show-access</c>).</summary>
    public static PermissionTable FromGrants(string organization, string tokenId, IReadOnlyList<TokenGrant> grants)
    {
        var rows = new ResourceRows();
        foreach (var grant in grants)
        {
            rows.AddHeld(grant.ResourceName, grant.ResourceKind, grant.Permissions);
        }

        return new PermissionTable(organization, tokenId, rows.Build());
    }

    /// <summary>
    /// The token's access after <c>add-access</c>: <paramref name="returned"/> (the POST's rows) merged with
    /// <paramref name="before"/> (the grants fetched just before), so the table is complete whether the API
    /// answers with all of the token's rows or only the new ones. Requested permissions not held before on
    /// the target resource are marked <see cref="PermissionChange.Added"/>.
    /// </summary>
    public static PermissionTable AfterAdd(
        string organization,
        string tokenId,
        IReadOnlyList<TokenGrant> before,
        IReadOnlyList<TokenAccess> returned,
        string? database,
        IReadOnlyList<string> requested)
    {
        var rows = new ResourceRows();
        foreach (var access in returned)
        {
            rows.AddHeld(access.ResourceName, access.ResourceKind, [access.Permission]);
        }

        foreach (var grant in before)
        {
            rows.AddHeld(grant.ResourceName, grant.ResourceKind, grant.Permissions);
        }

        var target = Target(database, organization);
        var heldBefore = HeldOn(before, target);
        foreach (var permission in requested)
        {
            if (!heldBefore.Contains(permission))
            {
                rows.Mark(target.Name, target.Kind, permission, PermissionChange.Added);
            }
        }

        return new PermissionTable(organization, tokenId, rows.Build());
    }

    /// <summary>
    /// The token's access after <c>delete-access</c>: <paramref name="after"/> (grants fetched after the
    /// DELETE) with each requested permission that was held before (<paramref name="before"/>) and is no
    /// longer held shown as <see cref="PermissionChange.Removed"/> on its resource row (a row is kept for a
    /// resource left empty).
    /// </summary>
    public static PermissionTable AfterRemove(
        string organization,
        string tokenId,
        IReadOnlyList<TokenGrant> before,
        IReadOnlyList<TokenGrant> after,
        string? database,
        IReadOnlyList<string> requested)
    {
        var rows = new ResourceRows();
        foreach (var grant in after)
        {
            rows.AddHeld(grant.ResourceName, grant.ResourceKind, grant.Permissions);
        }

        var target = Target(database, organization);
        var heldBefore = HeldOn(before, target);
        var heldAfter = HeldOn(after, target);
        foreach (var permission in requested)
        {
            if (heldBefore.Contains(permission) && !heldAfter.Contains(permission))
            {
                rows.Mark(target.Name, target.Kind, permission, PermissionChange.Removed);
            }
        }

        return new PermissionTable(organization, tokenId, rows.Build());
    }

    /// <summary>Which of <paramref name="requested"/> the token holds on the target resource (<paramref name="database"/>, or the organization).</summary>
    public static IReadOnlyList<string> HeldOf(IReadOnlyList<TokenGrant> grants, string? database, string organization, IReadOnlyList<string> requested)
    {
        var held = HeldOn(grants, Target(database, organization));
        return [.. requested.Where(held.Contains)];
    }

    /// <summary>The permissions marked with <paramref name="change"/>, in table order.</summary>
    public static IReadOnlyList<string> Marked(PermissionTable table, PermissionChange change) =>
        [.. table.Rows.SelectMany(r => r.Permissions).Where(p => p.Change == change).Select(p => p.Name)];

    private static (string Name, ResourceKind Kind) Target(string? database, string organization) =>
        database is null ? (organization, ResourceKind.Organization) : (database, ResourceKind.Database);

    private static HashSet<string> HeldOn(IReadOnlyList<TokenGrant> grants, (string Name, ResourceKind Kind) target) =>
        [.. grants.Where(g => Matches(g.ResourceName, g.ResourceKind, target.Name, target.Kind)).SelectMany(g => g.Permissions)];

    // The organization has one row whatever the API calls it; databases are matched by name.
    private static bool Matches(string name, ResourceKind kind, string targetName, ResourceKind targetKind) =>
        kind == targetKind && (kind == ResourceKind.Organization || string.Equals(name, targetName, StringComparison.Ordinal));

    private sealed class ResourceRows
    {
        private readonly List<(string Name, ResourceKind Kind, List<PermissionEntry> Entries)> rows = [];

        public void AddHeld(string name, ResourceKind kind, IEnumerable<string> permissions)
        {
            var row = RowFor(name, kind);
            foreach (var permission in permissions)
            {
                if (!row.Exists(e => e.Name == permission))
                {
                    row.Add(new PermissionEntry(permission));
                }
            }
        }

        public void Mark(string name, ResourceKind kind, string permission, PermissionChange change)
        {
            var row = RowFor(name, kind);
            var index = row.FindIndex(e => e.Name == permission);
            if (index >= 0)
            {
                row[index] = new PermissionEntry(permission, change);
            }
            else
            {
                row.Add(new PermissionEntry(permission, change));
            }
        }

        public IReadOnlyList<PermissionRow> Build() =>
        [
            .. rows
                .Where(r => r.Entries.Count > 0)
                .OrderBy(r => r.Kind == ResourceKind.Organization ? 1 : 0)
                .ThenBy(r => r.Name, StringComparer.Ordinal)
                .Select(r => new PermissionRow(r.Name, r.Kind, [.. r.Entries])),
        ];

        private List<PermissionEntry> RowFor(string name, ResourceKind kind)
        {
            foreach (var row in rows)
            {
                if (Matches(row.Name, row.Kind, name, kind))
                {
                    return row.Entries;
                }
            }

            var entries = new List<PermissionEntry>();
            rows.Add((name, kind, entries));
            return entries;
        }
    }
}
