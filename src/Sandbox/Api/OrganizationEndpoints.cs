using PscaleBot.Sandbox.State;

namespace PscaleBot.Sandbox.Api;

/// <summary><c>GET /v1/organizations</c> and <c>GET /v1/organizations/{organization}/databases</c>.</summary>
internal static class OrganizationEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapOrganizationEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/organizations", ListOrganizationsAsync);
        routes.MapGet("/v1/organizations/{organization}/databases", ListDatabasesAsync);
        return routes;
    }

    private static async Task<IResult> ListOrganizationsAsync(HttpContext context, SandboxStateStore store, CancellationToken ct)
    {
        if (!Paging.TryRead(context.Request, out var paging, out var error))
        {
            return error!;
        }

        var caller = context.GetCaller();
        return await store.ReadAsync(state =>
        {
            var visible = state.Organizations.Where(o => caller.CanSee(state, o)).Select(ResponseMapper.Organization).ToList();
            return Results.Json(paging.Envelope(context.Request, visible), SandboxJson.Options);
        }, ct);
    }

    private static async Task<IResult> ListDatabasesAsync(string organization, HttpContext context, SandboxStateStore store, CancellationToken ct)
    {
        if (!Paging.TryRead(context.Request, out var paging, out var error))
        {
            return error!;
        }

        var query = context.Request.Query["q"].ToString();
        var caller = context.GetCaller();
        return await store.ReadAsync(state =>
        {
            var org = state.FindOrganization(organization);
            if (org is null || !caller.CanSee(state, org))
            {
                return ApiError.NotFound();
            }

            var databases = caller.VisibleDatabases(state, org)
                .Where(d => query.Length == 0 || d.Name.Contains(query, StringComparison.OrdinalIgnoreCase))
                .Select(d => ResponseMapper.Database(org, d))
                .ToList();
            return Results.Json(paging.Envelope(context.Request, databases), SandboxJson.Options);
        }, ct);
    }
}
