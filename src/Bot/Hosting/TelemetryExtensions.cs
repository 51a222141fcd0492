using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PscaleBot.Commands.Diagnostics;

namespace PscaleBot.Bot.Hosting;

/// <summary>
/// OpenTelemetry for the server: traces (inbound HTTP → parse → policy → PlanetScale calls → store → reply), the
/// <c>PscaleBot</c> meter plus ASP.NET Core, HttpClient, runtime and Npgsql metrics, <c>GET /metrics</c> for
/// Prometheus, and OTLP export when <c>Telemetry:OtlpEndpoint</c> is set.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>The Prometheus scrape path.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>Npgsql's trace source and meter: the PostgreSQL stores' spans and pool metrics.</summary>
    public const string NpgsqlSource = "Npgsql";

    /// <summary>Registers telemetry; the middleware (ack latency, <c>/metrics</c>) is added by a start-up filter.</summary>
    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryOptions>()
            .Bind(builder.Configuration.GetSection(TelemetryOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => OtlpEndpointRule.IsValid(o.OtlpEndpoint), OtlpEndpointRule.Problem)
            .ValidateOnStart();

        // Read once for the composition; a value that does not bind is reported by the validation above, by name.
        var settings = ReadSettings(builder.Configuration);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<BotMetrics>();
        builder.Services.AddHostedService<AccessBacklogSampler>();
        builder.Services.AddTransient<IStartupFilter, TelemetryStartupFilter>();

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(settings.ServiceName))
            .WithTracing(tracing => tracing
                .AddSource(BotTelemetry.Name, NpgsqlSource)
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsOperational(http.Request.Path))
                .AddHttpClientInstrumentation())
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(BotTelemetry.Name, NpgsqlSource)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation();
                if (settings.Prometheus)
                {
                    metrics.AddPrometheusExporter(o => o.ScrapeEndpointPath = MetricsPath);
                }
            });

        if (OtlpEndpointRule.TryParse(settings.OtlpEndpoint) is { } endpoint)
        {
            var protocol = settings.OtlpProtocol == OtlpTransport.HttpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
            otel.UseOtlpExporter(protocol, endpoint);
        }

        return builder;
    }

    /// <summary>The probes and the scrape: answered all day long, they would drown the traces that matter.</summary>
    internal static bool IsOperational(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments(MetricsPath);

    private static TelemetryOptions ReadSettings(IConfiguration configuration)
    {
        try
        {
            return configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new();
        }
        catch (InvalidOperationException)
        {
            return new();
        }
    }
}

/// <summary>Adds the acknowledgement timer and, when on, the Prometheus scrape endpoint in front of the app.</summary>
internal sealed class TelemetryStartupFilter(IOptions<TelemetryOptions> options) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<AckLatencyMiddleware>();
        if (options.Value.Prometheus)
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint();
        }

        next(app);
    };
}

/// <summary>Times the HTTP acknowledgement of Slack and Teams requests (<c>pscalebot.ack.duration</c>).</summary>
internal sealed class AckLatencyMiddleware(RequestDelegate next, BotMetrics metrics, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (PlatformOf(context.Request.Path) is not { } platform)
        {
            await next(context);
            return;
        }

        var started = time.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            metrics.Acknowledged(platform, time.GetElapsedTime(started));
        }
    }

    internal static string? PlatformOf(PathString path) =>
        path.StartsWithSegments("/slack") ? "slack"
        : path.StartsWithSegments("/api/messages") || path.StartsWithSegments("/teams") ? "teams"
        : null;
}
