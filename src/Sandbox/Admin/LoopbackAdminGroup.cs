using System.Net;
using System.Text.Json;
using PscaleBot.Sandbox.Api;

namespace PscaleBot.Sandbox.Admin;

/// <summary>
/// The <c>/_sandbox/…</c> admin routes' shared ground: they answer only loopback callers (anything else gets 404) and
/// write JSON in web casing. No credentials, as they only exist on a local simulator.
/// </summary>
internal static class LoopbackAdminGroup
{
    /// <summary>The JSON settings of every admin answer and body.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A route group under <paramref name="prefix"/> that answers loopback callers only.</summary>
    public static RouteGroupBuilder MapLoopbackAdminGroup(this IEndpointRouteBuilder routes, string prefix)
    {
        var group = routes.MapGroup(prefix);
        group.AddEndpointFilter(async (context, next) =>
            context.HttpContext.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address)
                ? await next(context)
                : ApiError.NotFound());
        return group;
    }
}
