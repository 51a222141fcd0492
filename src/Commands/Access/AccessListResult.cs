using System.Text;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Access;

/// <summary>What a row of <c>access list</c> is.</summary>
public enum AccessListRowKind
{
    /// <summary>A pending request.</summary>
    Request,
    /// <summary>An active (or overdue) grant.</summary>
    Grant,
}

/// <summary>One pending request or active grant: who, what, until when.</summary>
/// <param name="Kind">Request or grant.</param>
/// <param name="Id">The id to type (<c>r-7kq2</c>, <c>g-…</c>).</param>
/// <param name="Status"><c>pending 1/2</c>, <c>active</c>, <c>break-glass</c>, <c>overdue</c>.</param>
/// <param name="Requester">The requester's display name.</param>
/// <param name="Target">Token, resource and permissions.</param>
/// <param name="Until">When the request expires or the grant ends.</param>
/// <param name="Note">The reason, or why it is overdue.</param>
public sealed record AccessListRow(AccessListRowKind Kind, string Id, string Status, string Requester, AccessTarget Target, DateTimeOffset Until, string? Note)
{
    /// <summary>The row of a pending request.</summary>
    public static AccessListRow From(AccessRequest request, DateTimeOffset now) => new(
        AccessListRowKind.Request,
        request.Id,
        (request.Kind == AccessRequestKind.Extension ? $"extend {request.GrantId} " : "")
            + (request.IsPastDue(now) ? "expired" : $"pending {request.Approvals.Count}/{request.RequiredApprovals}"),
        request.Requester.DisplayName,
        request.Target,
        request.ExpiresAt,
        request.Reason);

    /// <summary>The row of an active grant.</summary>
    public static AccessListRow From(AccessGrant grant, DateTimeOffset now) => new(
        AccessListRowKind.Grant,
        grant.Id,
        grant.IsOverdue(now)
            ? grant.RevokeAttempts > 0 ? $"overdue ({grant.RevokeAttempts} failed revoke attempt(s))" : "ending"
            : grant.BreakGlass ? "active, break-glass" : "active",
        grant.Requester.DisplayName,
        grant.Target,
        grant.EndsAt,
        grant.IsOverdue(now) && grant.LastError is not null ? grant.LastError : grant.Reason);
}

/// <summary>The answer to <c>access list</c>: pending requests and active grants the caller may see.</summary>
/// <param name="Rows">Requests first, then grants, each soonest first.</param>
/// <param name="Now">When it was read (for "in 1h 20m").</param>
public sealed record AccessListResult(IReadOnlyList<AccessListRow> Rows, DateTimeOffset Now) : CommandResult
{
    private static readonly string[] Headers = ["ID", "STATUS", "REQUESTER", "TOKEN", "RESOURCE", "PERMISSIONS", "UNTIL", "REASON"];

    /// <summary>The rows in the order every format shows them: requests, then grants, each soonest first.</summary>
    public IReadOnlyList<AccessListRow> OrderedRows => [.. Rows.OrderBy(r => r.Kind).ThenBy(r => r.Until)];

    /// <summary>The table as pscale prints tables: upper-case headers, a dashed rule, space-separated left-aligned columns.</summary>
    public string ToText()
    {
        if (Rows.Count == 0)
        {
            return "No pending access requests or active grants.";
        }

        var cells = OrderedRows
            .Select(r => new[]
            {
                r.Id,
                r.Status,
                r.Requester,
                r.Target.TokenId,
                r.Target.Database ?? "organization",
                string.Join(", ", r.Target.Permissions),
                Until(r.Until),
                r.Note ?? "",
            })
            .ToList();
        var headers = (string[])Headers.Clone();
        if (Rows.Count > 3)
        {
            headers[0] = $"ID ({Rows.Count})";
        }

        var widths = headers.Select((h, i) => Math.Max(h.Length, cells.Max(c => c[i].Length))).ToArray();
        var text = new StringBuilder();
        AppendLine(text, headers, widths);
        text.Append(' ').AppendJoin(' ', widths.Select(w => new string('-', w + 2))).Append('\n');
        foreach (var row in cells)
        {
            AppendLine(text, row, widths);
        }

        return text.ToString().TrimEnd('\n');
    }

    private string Until(DateTimeOffset until)
    {
        var left = until - Now;
        return left > TimeSpan.Zero
            ? $"{AccessText.Time(until)} (in {AccessText.Duration(left)})"
            : $"{AccessText.Time(until)} ({AccessText.Duration(-left)} ago)";
    }

    private static void AppendLine(StringBuilder text, IReadOnlyList<string> cells, int[] widths)
    {
        var line = new StringBuilder("  ");
        for (var i = 0; i < cells.Count; i++)
        {
            line.Append(cells[i].PadRight(widths[i])).Append("   ");
        }

        text.Append(line.ToString().TrimEnd()).Append('\n');
    }
}
