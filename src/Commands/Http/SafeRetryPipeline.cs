using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace PscaleBot.Commands.Http;

/// <summary>How long one attempt, and the whole call with its retries and waits, may take.</summary>
/// <param name="Attempt">One attempt; an idempotent request is retried after it, any other fails.</param>
/// <param name="Total">The whole call.</param>
public sealed record HttpTimeouts(TimeSpan Attempt, TimeSpan Total)
{
    /// <summary>An attempt of <paramref name="attempt"/>, and three attempts' worth for the call with its retries.</summary>
    public static HttpTimeouts OfAttempt(TimeSpan attempt) => new(attempt, attempt * 3);
}

/// <summary>
/// The resilience pipeline every outbound client uses: total timeout → retries by a <see cref="SafeRetryRule"/>
/// → attempt timeout, all on one <see cref="TimeProvider"/> (so tests drive waits and timeouts with a fake clock).
/// </summary>
public static partial class SafeRetryPipeline
{
    /// <summary>The retry strategy of <paramref name="rule"/>: waits what <c>Retry-After</c> says, else backs off exponentially with jitter.</summary>
    /// <param name="client">The client's name in logs and strategy names (<c>PlanetScale</c>, <c>Slack</c>).</param>
    /// <param name="rule">When to retry.</param>
    /// <param name="time">The clock that reads HTTP-date <c>Retry-After</c> values.</param>
    /// <param name="logger">Receives one line per retry.</param>
    public static RetryStrategyOptions<HttpResponseMessage> CreateRetryOptions(string client, SafeRetryRule rule, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return new()
        {
            Name = client.ToLowerInvariant() + "-retry",
            // Polly needs at least one; the rule says no when it allows none.
            MaxRetryAttempts = Math.Max(rule.MaxRetryAttempts, 1),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = rule.BaseDelay,
            MaxDelay = TimeSpan.FromSeconds(30),
            ShouldHandle = args => ValueTask.FromResult(
                rule.ShouldRetry(args.Outcome.Result?.RequestMessage ?? args.Context.GetRequestMessage(), args.Outcome, time.GetUtcNow())),
            DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? RetryAfterHeader.Read(response, time.GetUtcNow()) : null),
            OnRetry = args =>
            {
                var request = args.Outcome.Result?.RequestMessage ?? args.Context.GetRequestMessage();
                LogRetry(logger, client, request?.Method.Method ?? "?", request?.RequestUri?.AbsolutePath ?? "?",
                    args.Outcome.Result is { } r ? ((int)r.StatusCode).ToString(CultureInfo.InvariantCulture) : args.Outcome.Exception?.GetType().Name ?? "?",
                    args.AttemptNumber + 1, args.RetryDelay);
                return ValueTask.CompletedTask;
            },
        };
    }

    /// <summary>Adds total timeout, retries by <paramref name="rule"/> and attempt timeout, on <paramref name="time"/>.</summary>
    public static ResiliencePipelineBuilder<HttpResponseMessage> AddSafeRetries(
        this ResiliencePipelineBuilder<HttpResponseMessage> builder, string client, SafeRetryRule rule, HttpTimeouts timeouts, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(timeouts);
        builder.TimeProvider = time;
        return builder
            .AddTimeout(new TimeoutStrategyOptions { Name = client.ToLowerInvariant() + "-total", Timeout = timeouts.Total })
            .AddRetry(CreateRetryOptions(client, rule, time, logger))
            .AddTimeout(new TimeoutStrategyOptions { Name = client.ToLowerInvariant() + "-attempt", Timeout = timeouts.Attempt });
    }

    /// <summary>
    /// Puts the pipeline on a named or typed HttpClient, taking <see cref="TimeProvider"/> and the logger from the
    /// container. HttpClient's own timeout is switched off: the pipeline owns time.
    /// </summary>
    public static IHttpClientBuilder AddSafeRetries(this IHttpClientBuilder builder, string client, Func<IServiceProvider, SafeRetryRule> rule, HttpTimeouts timeouts) =>
        builder.AddSafeRetries(client, rule, _ => timeouts);

    /// <summary>As above, with timeouts read from the container (settings), so an operator and a test can shorten them.</summary>
    public static IHttpClientBuilder AddSafeRetries(this IHttpClientBuilder builder, string client, Func<IServiceProvider, SafeRetryRule> rule, Func<IServiceProvider, HttpTimeouts> timeouts)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(timeouts);
        builder.Services.AddQuietResilienceTelemetry();
        builder.ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan);
        builder.AddResilienceHandler(client.ToLowerInvariant(), (pipeline, context) =>
        {
            var provider = context.ServiceProvider;
            var time = provider.GetService<TimeProvider>() ?? TimeProvider.System;
            var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("PscaleBot.Http.Retry." + client);
            pipeline.AddSafeRetries(client, rule(provider), timeouts(provider), time, logger);
        });
        return builder;
    }

    /// <summary>
    /// Polly's own telemetry logs every handled attempt, retry and timeout at Warning or Error, with the exception: during
    /// an outage that is several records per request (2,000 requests once wrote 12.8 MB). Those events go to Debug; the
    /// callers log the outage once (<see cref="DependencyOutage"/>) and this pipeline one Information line per retry.
    /// </summary>
    public static IServiceCollection AddQuietResilienceTelemetry(this IServiceCollection services)
    {
        services.Configure<Polly.Telemetry.TelemetryOptions>(options => options.SeverityProvider = static _ => Polly.Telemetry.ResilienceEventSeverity.Debug);
        return services;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Client} {Method} {Path} got {Outcome}; retry {Retry} in {Delay}")]
    private static partial void LogRetry(ILogger logger, string client, string method, string path, string outcome, int retry, TimeSpan delay);
}
