using PscaleBot.Commands.Execution;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Tests.Execution;

public sealed class PermissionTableBuilderTests
{
    [Fact]
    public void Add_keeps_earlier_access_when_the_API_returns_only_the_new_rows()
    {
        // The SDK's fixture shows a POST answer holding only the added row; the docs say all rows.
        IReadOnlyList<TokenGrant> before =
        [
            new("prod", ResourceKind.Database, ["read_branch"]),
            new("acme", ResourceKind.Organization, ["read_databases"]),
        ];
        IReadOnlyList<TokenAccess> returned = [new("a1", "create_branch", ResourceKind.Database, "prod")];

        var table = PermissionTableBuilder.AfterAdd("acme", "tok", before, returned, "prod", ["create_branch"]);

        Assert.Equal(["prod", "acme"], table.Rows.Select(r => r.ResourceName));
        Assert.Equal(
            [new PermissionEntry("create_branch", PermissionChange.Added), new PermissionEntry("read_branch")],
            table.Rows[0].Permissions);
        Assert.Equal([new PermissionEntry("read_databases")], table.Rows[1].Permissions);
    }

    [Fact]
    public void The_organization_row_is_matched_whatever_name_the_API_gives_it()
    {
        IReadOnlyList<TokenGrant> before = [new("Acme Inc", ResourceKind.Organization, ["read_databases"])];
        IReadOnlyList<TokenAccess> returned =
        [
            new("a1", "read_databases", ResourceKind.Organization, "Acme Inc"),
            new("a2", "create_databases", ResourceKind.Organization, "Acme Inc"),
        ];

        var table = PermissionTableBuilder.AfterAdd("acme", "tok", before, returned, null, ["read_databases", "create_databases"]);

        var row = Assert.Single(table.Rows);
        Assert.Equal([new PermissionEntry("read_databases"), new PermissionEntry("create_databases", PermissionChange.Added)], row.Permissions);
    }

    [Fact]
    public void Remove_keeps_a_row_for_a_resource_left_without_access()
    {
        IReadOnlyList<TokenGrant> before =
        [
            new("prod", ResourceKind.Database, ["read_branch", "connect_branch"]),
            new("staging", ResourceKind.Database, ["read_branch"]),
        ];
        IReadOnlyList<TokenGrant> after = [new("staging", ResourceKind.Database, ["read_branch"])];

        var table = PermissionTableBuilder.AfterRemove("acme", "tok", before, after, "prod", ["read_branch", "connect_branch"]);

        Assert.Equal(["prod", "staging"], table.Rows.Select(r => r.ResourceName));
        Assert.All(table.Rows[0].Permissions, p => Assert.Equal(PermissionChange.Removed, p.Change));
        Assert.Equal(["read_branch", "connect_branch"], PermissionTableBuilder.Marked(table, PermissionChange.Removed));
    }

    [Fact]
    public void A_permission_the_API_still_reports_is_not_shown_as_removed()
    {
        IReadOnlyList<TokenGrant> after = [new("prod", ResourceKind.Database, ["read_branch"])];

        var table = PermissionTableBuilder.AfterRemove("acme", "tok", after, after, "prod", ["read_branch"]);

        Assert.Equal(PermissionChange.Unchanged, table.Rows.Single().Permissions.Single().Change);
    }

    [Fact]
    public void A_permission_that_was_never_held_is_not_shown_as_removed()
    {
        IReadOnlyList<TokenGrant> grants = [new("prod", ResourceKind.Database, ["read_branch"])];

        var table = PermissionTableBuilder.AfterRemove("acme", "tok", grants, grants, "prod", ["create_branch"]);

        Assert.Empty(PermissionTableBuilder.Marked(table, PermissionChange.Removed));
        Assert.Equal(["read_branch"], PermissionTableBuilder.HeldOf(grants, "prod", "acme", ["create_branch", "read_branch"]));
    }
}
