using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PscaleBot.Bot.Hosting;

/// <summary>Liveness and readiness endpoints.</summary>
public static class HealthExtensions
{
    /// <summary>Registers health checks, adapters adding their own (the Socket Mode connection, for one), and the start-up warm-up.</summary>
    public static IHostApplicationBuilder AddHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks();
        builder.Services.AddStartupWarmup();
        return builder;
    }

    /// <summary>
    /// Maps <c>/healthz</c> (alive) and <c>/readyz</c> (every check healthy). <c>/readyz</c> answers the overall status on
    /// its first line and, for each check that is not healthy, a line saying why, so an operator reads the cause there.
    /// </summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz", new() { Predicate = _ => false });
        endpoints.MapHealthChecks("/readyz", new() { ResponseWriter = WriteReadinessAsync });
        return endpoints;
    }

    /// <summary>The status, then one <c>name: description</c> line per check that is not healthy.</summary>
    public static string Describe(HealthReport report)
    {
        var lines = report.Entries
            .Where(e => e.Value.Status != HealthStatus.Healthy)
            .Select(e => $"{e.Key}: {e.Value.Description ?? e.Value.Exception?.Message ?? e.Value.Status.ToString()}");
        return string.Join('\n', lines.Prepend(report.Status.ToString()));
    }

    private static Task WriteReadinessAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(Describe(report), context.RequestAborted);
    }
}
