namespace PscaleBot.Sandbox.Admin;

/// <summary>
/// <c>GET /_sandbox/calls</c> (the <see cref="ApiCallCounts"/>) and <c>DELETE /_sandbox/calls</c> (reset). Loopback
/// callers only, like the fault endpoints.
/// </summary>
internal static class CallCountAdminEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapCallCountAdminEndpoints(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapLoopbackAdminGroup("/_sandbox/calls");
        admin.MapGet("", (ApiCallCounter counter) => Results.Json(counter.Snapshot(), LoopbackAdminGroup.Json));
        admin.MapDelete("", (ApiCallCounter counter) =>
        {
            counter.Reset();
            return Results.Json(counter.Snapshot(), LoopbackAdminGroup.Json);
        });
        return routes;
    }
}
