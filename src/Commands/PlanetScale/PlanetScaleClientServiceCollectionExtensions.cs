using System.Net;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;
using PscaleBot.Commands.Http;
using PscaleBot.Commands.PlanetScale.Api;
using PscaleBot.Commands.PlanetScale.Budget;
using PscaleBot.Commands.PlanetScale.Http;
using PscaleBot.Commands.PlanetScale.Reads;
using Refit;

namespace PscaleBot.Commands.PlanetScale;

/// <summary>Registers the typed PlanetScale client.</summary>
public static class PlanetScaleClientServiceCollectionExtensions
{
    /// <summary>The IHttpClientFactory name of the PlanetScale client (tests swap its primary handler through it).</summary>
    public const string HttpClientName = "PlanetScale";

    /// <summary>
    /// Binds <see cref="PlanetScaleOptions"/> from section <c>PlanetScale</c> (validated at start), and registers the Refit
    /// <see cref="IPlanetScaleApi"/>, <see cref="IPlanetScaleService"/> and <see cref="PlanetScaleCredentialCheck"/>.
    /// Handlers, outermost first: resilience (total timeout, retries of GET/DELETE, a rate-budget permit per attempt, so
    /// waiting for one is not cut short by the attempt timeout, then the attempt timeout), the budget's 429 pause and call
    /// count, request-id capture, same-host redirects, authentication; the primary handler does not follow redirects itself. Reads are shared through the
    /// singleton <see cref="PlanetScaleReadShare"/>; the budget is the singleton <see cref="IPlanetScaleRateBudget"/>
    /// (register another implementation first to share it between replicas).
    /// </summary>
    public static IServiceCollection AddPlanetScaleClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<PlanetScaleOptions>()
            .Bind(configuration.GetSection(PlanetScaleOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PlanetScaleOptions>, PlanetScaleOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddTransient<PlanetScaleAuthenticationHandler>();
        services.TryAddTransient<PlanetScaleRequestIdHandler>();
        services.TryAddTransient<SameHostRedirectHandler>();
        services.TryAddSingleton<PlanetScaleHttpLogger>();
        services.AddMetrics();
        services.TryAddSingleton<IPlanetScaleRateBudget>(provider => SlidingWindowRateBudget.For(
            provider.GetRequiredService<IOptions<PlanetScaleOptions>>().Value, provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<PlanetScaleMetrics>();
        services.TryAddSingleton<PlanetScaleReadShare>();
        services.TryAddTransient<PlanetScaleBudgetHandler>();

        var refitSettings = new RefitSettings
        {
            ContentSerializer = new SystemTextJsonContentSerializer(PlanetScaleJson.Options),
            // Send Content-Length rather than a chunked body; bodies are tiny.
            Buffered = true,
            // A hostile or broken proxy must not make the bot buffer megabytes of error page.
            MaxExceptionContentLength = 64 * 1024,
            // Refit keeps the live request (with Authorization) on its exceptions; drop it in case one escapes to a log.
            ExceptionRedactor = exception => exception.RequestMessage?.Headers.Remove("Authorization"),
        };

        var client = services.AddRefitGeneratedClient<IPlanetScaleApi>(refitSettings, HttpClientName)
            .ConfigureHttpClient((provider, http) =>
            {
                var options = provider.GetRequiredService<IOptions<PlanetScaleOptions>>().Value;
                http.BaseAddress = options.BaseUrl;
                // The resilience pipeline owns time; HttpClient's own 100 s timeout would only blur which limit fired.
                http.Timeout = Timeout.InfiniteTimeSpan;
                http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
                http.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.All,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            // The default loggers pass raw header values (Authorization included) to structured sinks at Trace
            // level; this client logs through PlanetScaleHttpLogger instead, which never touches headers.
            .RemoveAllLoggers()
            .AddLogger<PlanetScaleHttpLogger>();
        client.AddResilienceHandler("planetscale", static (builder, context) =>
            {
                var provider = context.ServiceProvider;
                var options = provider.GetRequiredService<IOptions<PlanetScaleOptions>>().Value;
                var timeProvider = provider.GetRequiredService<TimeProvider>();
                var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("PscaleBot.Commands.PlanetScale.Retry");
                var budget = provider.GetRequiredService<IPlanetScaleRateBudget>();
                var monitor = provider.GetRequiredService<IOptionsMonitor<PlanetScaleOptions>>();
                builder.TimeProvider = timeProvider;
                builder
                    .AddStrategy(_ => new RateLimitTimeoutStrategy(), new RateLimitTimeoutStrategyOptions())
                    .AddTimeout(new TimeoutStrategyOptions { Name = "planetscale-total", Timeout = options.TotalTimeout })
                    .AddRetry(new PlanetScaleRetryPolicy(options, timeProvider, logger).CreateStrategyOptions())
                    .AddStrategy(
                        _ => new PlanetScaleBudgetStrategy(budget, monitor), new PlanetScaleBudgetStrategyOptions())
                    .AddTimeout(new TimeoutStrategyOptions { Name = "planetscale-attempt", Timeout = options.AttemptTimeout });
            });
        client.AddHttpMessageHandler<PlanetScaleBudgetHandler>();
        client
            .AddHttpMessageHandler<PlanetScaleRequestIdHandler>()
            .AddHttpMessageHandler<SameHostRedirectHandler>()
            .AddHttpMessageHandler<PlanetScaleAuthenticationHandler>();

        services.TryAddSingleton<DependencyOutages>();
        services.AddQuietResilienceTelemetry();

        // Transient like the Refit client it wraps, so IHttpClientFactory can rotate handlers.
        services.TryAddTransient<IPlanetScaleService, PlanetScaleService>();
        services.TryAddTransient<PlanetScaleCredentialCheck>();
        return services;
    }

    /// <summary>The User-Agent sent: <c>pscale-bot/&lt;version&gt;</c>.</summary>
    public static string UserAgent { get; } = "pscale-bot/" + Version();

    private static string Version()
    {
        var assembly = typeof(PlanetScaleClientServiceCollectionExtensions).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        // "1.2.3+commitsha" → "1.2.3": the build metadata is noise to PlanetScale and not a valid product token.
        var version = informational?.Split('+')[0] ?? assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        return version.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-') && version.Length > 0 ? version : "0.0.0";
    }
}
