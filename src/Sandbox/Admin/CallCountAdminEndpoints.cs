using System.Net;
using System.Text.Json;
using PscaleBot.Sandbox.Api;

namespace PscaleBot.Sandbox.Admin;

/// <summary>
/// <c>GET /_sandbox/calls</c> (the <see cref="ApiCallCounts"/>) and <c>DELETE /_sandbox/calls</c> (reset). Loopback
/// callers only, like the fault endpoints.
/// </summary>
internal static class CallCountAdminEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapCallCountAdminEndpoints(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/_sandbox/calls").AddEndpointFilter(async (context, next) =>
            context.HttpContext.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address)
                ? await next(context)
                : ApiError.NotFound());
        admin.MapGet("", (ApiCallCounter counter) => Results.Json(counter.Snapshot(), Json));
        admin.MapDelete("", (ApiCallCounter counter) =>
        {
            counter.Reset();
            return Results.Json(counter.Snapshot(), Json);
        });
        return routes;
    }
}
