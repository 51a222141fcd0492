using System.ComponentModel.DataAnnotations;

namespace PscaleBot.Bot.Hosting;

/// <summary>Metrics and traces (section <c>Telemetry</c>; environment <c>Telemetry__OtlpEndpoint</c>, …).</summary>
public sealed class TelemetryOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Telemetry";

    /// <summary>
    /// Serve Prometheus metrics on <c>GET /metrics</c> (default on: the labels hold no secrets and no people; keep the path
    /// off the public ingress, which only needs <c>/slack/*</c> and <c>/api/messages</c>).
    /// </summary>
    public bool Prometheus { get; set; } = true;

    /// <summary>An OpenTelemetry collector (absolute URL); traces, metrics and logs are exported there when set.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>The OTLP transport: <c>Grpc</c> (default, port 4317) or <c>HttpProtobuf</c> (port 4318).</summary>
    public OtlpTransport OtlpProtocol { get; set; } = OtlpTransport.Grpc;

    /// <summary>The <c>service.name</c> resource attribute.</summary>
    [Required(ErrorMessage = "Telemetry:ServiceName must not be empty: it names the bot in traces and metrics.")]
    public string ServiceName { get; set; } = "pscale-bot";

    /// <summary>How often the access backlog (approvals pending, revocations due and overdue) is sampled.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Telemetry:SampleInterval must be between 1 second and 1 hour.")]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long past its end a grant still unrevoked counts as overdue.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Telemetry:RevocationOverdueAfter must be between 0 and 1 day.")]
    public TimeSpan RevocationOverdueAfter { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>The OTLP transports.</summary>
public enum OtlpTransport
{
    /// <summary>OTLP over gRPC.</summary>
    Grpc,

    /// <summary>OTLP over HTTP with protobuf bodies.</summary>
    HttpProtobuf,
}

/// <summary>Checks <see cref="TelemetryOptions.OtlpEndpoint"/>; the value is not repeated, as a URL may carry credentials.</summary>
internal static class OtlpEndpointRule
{
    public const string Problem =
        "Telemetry:OtlpEndpoint must be an absolute http:// or https:// URL of an OpenTelemetry collector, such as http://otel-collector:4317; leave it empty to export nothing.";

    public static bool IsValid(string? endpoint) =>
        string.IsNullOrWhiteSpace(endpoint) || TryParse(endpoint) is not null;

    public static Uri? TryParse(string? endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri : null;
}
