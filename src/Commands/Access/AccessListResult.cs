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
/// <remarks>Every format draws it through <see cref="Results.Tables.TableViews"/>.</remarks>
public sealed record AccessListResult(IReadOnlyList<AccessListRow> Rows, DateTimeOffset Now) : CommandResult;
