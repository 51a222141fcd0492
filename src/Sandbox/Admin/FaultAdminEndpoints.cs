using System.Text.Json;
using PscaleBot.Sandbox.Api;
using PscaleBot.Sandbox.Faults;

namespace PscaleBot.Sandbox.Admin;

/// <summary>
/// <c>GET/PUT/DELETE /_sandbox/faults</c>: read, replace or reset the fault settings at runtime.
/// Loopback callers only (<see cref="LoopbackAdminGroup"/>).
/// </summary>
internal static class FaultAdminEndpoints
{
    private static readonly JsonSerializerOptions Json = LoopbackAdminGroup.Json;

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapFaultAdminEndpoints(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapLoopbackAdminGroup("/_sandbox/faults");

        admin.MapGet("", (SandboxFaults faults) => Results.Json(faults.Current, Json));
        admin.MapPut("", async (HttpRequest request, SandboxFaults faults, CancellationToken ct) =>
        {
            FaultOptions? options;
            try
            {
                options = await JsonSerializer.DeserializeAsync<FaultOptions>(request.Body, Json, ct);
            }
            catch (JsonException e)
            {
                return ApiError.BadRequest($"The body must be fault settings as JSON, e.g. {{\"latencyMs\":200,\"forced\":[{{\"method\":\"DELETE\",\"path\":\"/v1/**/access\",\"status\":429,\"times\":2}}]}} ({e.Message}).");
            }

            if (options is null)
            {
                return ApiError.BadRequest("The body must be a JSON object of fault settings.");
            }

            var errors = FaultOptionsValidator.Validate(options);
            if (errors.Count > 0)
            {
                return ApiError.Unprocessable(string.Join(" ", errors));
            }

            faults.Set(options);
            return Results.Json(faults.Current, Json);
        });
        admin.MapDelete("", (SandboxFaults faults) =>
        {
            faults.Reset();
            return Results.Json(faults.Current, Json);
        });
        return routes;
    }
}
