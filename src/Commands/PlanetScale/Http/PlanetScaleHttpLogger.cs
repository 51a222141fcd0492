using System.Globalization;
using Microsoft.Extensions.Http.Logging;
using Microsoft.Extensions.Logging;

namespace PscaleBot.Commands.PlanetScale.Http;

/// <summary>
/// Logs each PlanetScale HTTP attempt as method, path, status and duration: never headers, bodies or query strings.
/// It replaces IHttpClientFactory's default loggers, whose trace line redacts header values in its text but still
/// hands the raw <c>Authorization</c> value to structured log sinks through its state.
/// </summary>
public sealed partial class PlanetScaleHttpLogger(ILoggerFactory loggerFactory) : IHttpClientLogger
{
    private readonly ILogger logger = loggerFactory.CreateLogger("PscaleBot.Commands.PlanetScale.Http");

    /// <inheritdoc />
    public object? LogRequestStart(HttpRequestMessage request) => null;

    /// <inheritdoc />
    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        LogAnswered(logger, request.Method.Method, PathOf(request), ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), elapsed.TotalMilliseconds);
    }

    /// <inheritdoc />
    public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(exception);
        LogFailed(logger, request.Method.Method, PathOf(request), exception.GetType().Name, elapsed.TotalMilliseconds);
    }

    private static string PathOf(HttpRequestMessage request) => request.RequestUri?.AbsolutePath ?? "?";

    [LoggerMessage(Level = LogLevel.Debug, Message = "PlanetScale {Method} {Path} answered {Status} in {ElapsedMs:0} ms")]
    private static partial void LogAnswered(ILogger logger, string method, string path, string status, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "PlanetScale {Method} {Path} failed with {Error} after {ElapsedMs:0} ms")]
    private static partial void LogFailed(ILogger logger, string method, string path, string error, double elapsedMs);
}
