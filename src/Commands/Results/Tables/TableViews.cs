using PscaleBot.Commands.Access;
using PscaleBot.Commands.PlanetScale;

namespace PscaleBot.Commands.Results.Tables;

/// <summary>
/// The one place where each table result becomes a <see cref="TableView"/>: its columns, headers (the CLI's
/// where the CLI has them), row order and marks. Change a column here and every format follows.
/// </summary>
public static class TableViews
{
    // One long audit cell (a denial reason) would stretch every row of the table people read.
    private const int CellWidth = 80;

    private static readonly TableColumn Id = new("ID", "id");
    private static readonly TableColumn Name = new("NAME", "name");
    private static readonly TableColumn Token = new("TOKEN", "token", ColumnRole.Secret);
    private static readonly TableColumn LastUsedAt = new("LAST USED AT", "last_used_at");
    private static readonly TableColumn ExpiresAt = new("EXPIRES AT", "expires_at");
    private static readonly TableColumn CreatedAt = new("CREATED AT", "created_at");

    /// <summary>The view of a table result, or null when <paramref name="result"/> is not a table.</summary>
    public static TableView? For(CommandResult result) => result switch
    {
        TokenTable tokens => For(tokens),
        PermissionTable permissions => For(permissions),
        AuditTable audit => For(audit),
        AccessListResult access => For(access),
        StaleTokenTable stale => For(stale),
        _ => null,
    };

    /// <summary>Tokens, as <c>pscale service-token list</c> prints them; a new token also shows its secret.</summary>
    public static TableView For(TokenTable table)
    {
        var created = table.Kind == TokenTableKind.Created;
        TableColumn[] columns = created ? [Id, Name, Token, ExpiresAt, CreatedAt] : [Id, Name, LastUsedAt, ExpiresAt, CreatedAt];
        var rows = table.Tokens.Select(t => new TableRow(created
            ? [new TextCell(t.Id), new TextCell(t.Name), new SecretCell(t.Secret), new TimeCell(t.ExpiresAt), new TimeCell(t.CreatedAt)]
            : [new TextCell(t.Id), new TextCell(t.Name), new TimeCell(t.LastUsedAt), new TimeCell(t.ExpiresAt), new TimeCell(t.CreatedAt)]));
        var first = table.Tokens.FirstOrDefault()?.Id;
        var title = table.Kind switch
        {
            TokenTableKind.Created => $"New service token {first}",
            TokenTableKind.Show when table.Tokens.Count == 1 => $"Service token {first}",
            _ => $"Service tokens in {table.Organization}",
        };
        return new TableView(title, columns, [.. rows], "No service tokens.");
    }

    /// <summary>A token's permissions, as <c>pscale service-token show-access</c> prints them, with changes marked.</summary>
    public static TableView For(PermissionTable table)
    {
        TableColumn[] columns = [new("RESOURCE NAME", "resource_name"), new("RESOURCE TYPE", "resource_type"), new("ACCESSES", "accesses", MarksChanges: true)];
        var rows = table.Rows.Select(r => new TableRow(
            [new TextCell(r.ResourceName), new TextCell(ResourceTypeName(r.ResourceKind)), new PermissionsCell(r.Permissions)]));
        var entries = table.Rows.SelectMany(r => r.Permissions).ToList();
        List<string> legend = [];
        if (entries.Any(e => e.Change == PermissionChange.Added))
        {
            legend.Add(PermissionsCell.AddedLegend);
        }

        if (entries.Any(e => e.Change == PermissionChange.Removed))
        {
            legend.Add(PermissionsCell.RemovedLegend);
        }

        return new TableView(
            $"Access for token {table.TokenId}", columns, [.. rows], "This token has no permissions.",
            legend.Count == 0 ? null : string.Join("; ", legend) + ".");
    }

    /// <summary>Audit entries, newest first as the store returns them.</summary>
    public static TableView For(AuditTable audit)
    {
        TableColumn[] columns =
        [
            new("TIME", "time"), new("PLATFORM", "platform"), new("PLACE", "place"), new("USER", "user_id"),
            new("COMMAND", "command", MaxWidth: CellWidth), new("DECISION", "decision"), new("REASON", "reason", MaxWidth: CellWidth),
            new("OUTCOME", "outcome", MaxWidth: CellWidth),
            new("REQUEST IDS", "request_ids", ColumnRole.Detail),
        ];
        var rows = audit.Entries.Select(e => new TableRow(
        [
            new TimeCell(e.Time), new TextCell(e.Platform), new TextCell(e.Place), new TextCell(e.UserId), new TextCell(e.Command),
            new TextCell(e.Decision), new TextCell(e.Reason), new TextCell(e.Outcome), new ListCell(e.RequestIds),
        ]));
        return new TableView("Audit log", columns, [.. rows], "No audit entries.");
    }

    /// <summary>Pending requests, then active grants, each soonest first.</summary>
    public static TableView For(AccessListResult list)
    {
        TableColumn[] columns =
        [
            new("KIND", "kind", ColumnRole.Detail), Id, new("STATUS", "status"), new("REQUESTER", "requester"),
            new("ORGANIZATION", "organization", ColumnRole.Detail), new("TOKEN", "token_id"), new("DATABASE", "database"),
            new("PERMISSIONS", "permissions"), new("UNTIL", "until"), new("NOTE", "note"),
        ];
        var rows = list.Rows.OrderBy(r => r.Kind).ThenBy(r => r.Until).Select(r => new TableRow(
        [
            new TextCell(r.Kind == AccessListRowKind.Request ? "request" : "grant"), new TextCell(r.Id), new TextCell(r.Status),
            new TextCell(r.Requester), new TextCell(r.Target.Organization), new TextCell(r.Target.TokenId),
            new TextCell(r.Target.Database, "(organization)"), new ListCell(r.Target.Permissions),
            new TimeCell(r.Until, TimeStyle.Deadline), new TextCell(r.Note),
        ]));
        return new TableView("Access requests and grants", columns, [.. rows], "No pending access requests or active grants.", ReadAt: list.Now);
    }

    /// <summary>Stale tokens, stalest first, each with its grants (<c>prod: read_branch, connect_branch</c>) and expiry.</summary>
    public static TableView For(StaleTokenTable table)
    {
        TableColumn[] columns = [Id, Name, LastUsedAt, CreatedAt, ExpiresAt, new("GRANTS", "grants")];
        var rows = table.Tokens.Select(s => new TableRow(
        [
            new TextCell(s.Token.Id), new TextCell(s.Token.Name), new TimeCell(s.Token.LastUsedAt), new TimeCell(s.Token.CreatedAt),
            new TimeCell(s.Token.ExpiresAt),
            new ListCell([.. s.Grants.Where(g => g.Permissions.Count > 0).Select(g => $"{g.ResourceName}: {string.Join(" ", g.Permissions)}")]),
        ]));
        return new TableView(
            $"Service tokens in {table.Organization} unused for {AccessText.Duration(table.UnusedFor)} (since {TimeCell.Absolute(table.Cutoff)})",
            columns, [.. rows], "No token has gone unused that long.");
    }

    /// <summary>The resource type as the API and CLI spell it.</summary>
    public static string ResourceTypeName(ResourceKind kind) => kind == ResourceKind.Organization ? "Organization" : "Database";
}
