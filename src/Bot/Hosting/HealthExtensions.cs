namespace PscaleBot.Bot.Hosting;

/// <summary>Liveness and readiness endpoints.</summary>
public static class HealthExtensions
{
    /// <summary>Registers health checks; adapters add their own (the Socket Mode connection, for one).</summary>
    public static IHostApplicationBuilder AddHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks();
        return builder;
    }

    /// <summary>Maps <c>/healthz</c> (alive) and <c>/readyz</c> (every check healthy).</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz", new() { Predicate = _ => false });
        endpoints.MapHealthChecks("/readyz");
        return endpoints;
    }
}
