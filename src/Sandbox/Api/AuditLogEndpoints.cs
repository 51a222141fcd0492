using System.Globalization;
using PscaleBot.Sandbox.State;

namespace PscaleBot.Sandbox.Api;

/// <summary>
/// <c>GET /v1/organizations/{organization}/audit-log</c>: the organization's audit events, newest first, with cursor
/// pagination (<c>starting_after</c>, <c>ending_before</c>, <c>limit</c> 1–100, default 25) and the
/// <c>{type,has_next,has_prev,cursor_start,cursor_end,data}</c> envelope. Needs <c>read_audit_logs</c>; anything else is 404.
/// </summary>
internal static class AuditLogEndpoints
{
    private const int DefaultLimit = 25, MaxLimit = 100;

    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapAuditLogEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/organizations/{organization}/audit-log", ListAsync);
        return routes;
    }

    private static async Task<IResult> ListAsync(string organization, HttpContext context, SandboxStateStore store, CancellationToken ct)
    {
        var query = context.Request.Query;
        var rawLimit = query["limit"].ToString();
        var limit = DefaultLimit;
        if (rawLimit.Length > 0 && (!int.TryParse(rawLimit, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1))
        {
            return ApiError.BadRequest($"limit must be a whole number between 1 and {MaxLimit}.");
        }

        limit = Math.Min(limit, MaxLimit);
        var after = query["starting_after"].ToString();
        var before = query["ending_before"].ToString();
        var caller = context.GetCaller();
        return await store.ReadAsync(state =>
        {
            var org = state.FindOrganization(organization);
            if (org is null || !caller.Has(state, org, "read_audit_logs"))
            {
                return ApiError.NotFound();
            }

            var all = state.AuditEvents.Where(e => e.Organization == org.Name).Reverse().ToList();
            int start, end;
            if (after.Length > 0)
            {
                var at = all.FindIndex(e => e.Id == after);
                start = at < 0 ? all.Count : at + 1;
                end = Math.Min(all.Count, start + limit);
            }
            else if (before.Length > 0)
            {
                var at = all.FindIndex(e => e.Id == before);
                end = at < 0 ? 0 : at;
                start = Math.Max(0, end - limit);
            }
            else
            {
                start = 0;
                end = Math.Min(all.Count, limit);
            }

            var page = all.GetRange(start, end - start).Select(e => Event(org, e)).ToList();
            return Results.Json(new AuditLogPage("list", end < all.Count, start > 0, page.FirstOrDefault()?.Id, page.LastOrDefault()?.Id, page), SandboxJson.Options);
        }, ct);
    }

    private static AuditLogEvent Event(OrganizationRecord org, AuditEventRecord e) => new(
        e.Id, e.ActorId, e.ActorType, org.Id, "Organization", e.TargetId, "ServiceToken", null, e.TargetDisplayName,
        e.Action, e.Action, e.ActorDisplayName, org.Name, null, SandboxJson.Timestamp(e.CreatedAt), SandboxJson.Timestamp(e.CreatedAt), e.Metadata);

    private sealed record AuditLogPage(string Type, bool HasNext, bool HasPrev, string? CursorStart, string? CursorEnd, IReadOnlyList<AuditLogEvent> Data);

    private sealed record AuditLogEvent(
        string Id, string? ActorId, string? ActorType, string? AuditableId, string? AuditableType, string? TargetId, string? TargetType,
        string? Location, string? TargetDisplayName, string AuditAction, string Action, string ActorDisplayName, string AuditableDisplayName,
        string? RemoteIp, string CreatedAt, string UpdatedAt, IReadOnlyDictionary<string, string>? Metadata);
}
