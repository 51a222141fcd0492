using PscaleBot.Sandbox.Admin;
using PscaleBot.Sandbox.Api;
using PscaleBot.Sandbox.Faults;
using PscaleBot.Sandbox.OnCall;
using PscaleBot.Sandbox.Pipeline;
using PscaleBot.Sandbox.State;

namespace PscaleBot.Sandbox;

/// <summary>Wires the sandbox into a web application: services, request pipeline and endpoints.</summary>
internal static class SandboxComposition
{
    /// <summary>Registers the state, credentials, clock, faults and rate limit the pipeline uses.</summary>
    public static IServiceCollection AddSandboxServices(
        this IServiceCollection services, SandboxStateStore store, SandboxCredentials credentials, SandboxFaults faults, TimeProvider time)
    {
        services.AddSingleton(store);
        services.AddSingleton(credentials);
        services.AddSingleton(faults);
        services.AddSingleton(time);
        services.AddSingleton<PerCallerRateLimit>();
        services.AddSingleton<ApiCallCounter>();
        services.AddSingleton<OnCallRota>();
        return services;
    }

    /// <summary>
    /// Request id on everything; for <c>/v1</c>: the call counter, faults, rate limit, then authentication. Unexpected exceptions become
    /// a <c>{code,message}</c> 500 rather than a stack trace.
    /// </summary>
    public static WebApplication UseSandboxPipeline(this WebApplication app)
    {
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseExceptionHandler(error => error.Run(context =>
            ApiError.WriteAsync(context, StatusCodes.Status500InternalServerError, "internal_server_error", "Internal Server Error")));
        // Answers the framework produces without a body (405 for a wrong method) still get {code,message}.
        app.UseStatusCodePages(async context =>
        {
            var status = context.HttpContext.Response.StatusCode;
            await ApiError.WriteAsync(context.HttpContext, status, ApiError.CodeFor(status), ApiError.MessageFor(status));
        });
        app.UseWhen(IsApi, api =>
        {
            api.UseMiddleware<ApiCallCountingMiddleware>();
            api.UseMiddleware<FaultInjectionMiddleware>();
            api.UseMiddleware<RateLimitMiddleware>();
            api.UseMiddleware<AuthenticationMiddleware>();
        });
        return app;
    }

    /// <summary>Maps the API, the loopback-only fault admin endpoints, and a JSON 404 for unknown API paths.</summary>
    public static WebApplication MapSandboxEndpoints(this WebApplication app)
    {
        app.MapServiceTokenEndpoints();
        app.MapOrganizationEndpoints();
        app.MapAuditLogEndpoints();
        app.MapFaultAdminEndpoints();
        app.MapCallCountAdminEndpoints();
        app.MapTokenUsageAdminEndpoints();
        app.MapOnCallEndpoints();
        app.MapFallback(ApiError.NotFound);
        return app;
    }

    private static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal);
}
