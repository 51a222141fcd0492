using System.Net.Http.Headers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Refit;

namespace PscaleBot.Commands.Access.OnCall;

/// <summary>Registers the PagerDuty and Opsgenie clients and the roster that asks them.</summary>
public static class OnCallServiceCollectionExtensions
{
    /// <summary>The IHttpClientFactory name of the PagerDuty client.</summary>
    public const string PagerDutyClientName = "OnCall.PagerDuty";

    /// <summary>The IHttpClientFactory name of the Opsgenie client.</summary>
    public const string OpsgenieClientName = "OnCall.Opsgenie";

    /// <summary>
    /// Binds <see cref="OnCallOptions"/> (section <c>OnCall</c>, validated at start against the policy in force), and
    /// registers the Refit clients, the lookups and the cache that <see cref="ServiceOnCallRoster"/> uses. The roster
    /// itself is not registered: the host makes it with its <c>PolicyStore</c> (<c>ActivatorUtilities</c>), because a
    /// host without a policy has nothing to ask and must still pass DI validation. The API keys go into the clients'
    /// default headers only; the clients' HTTP loggers are removed so no header reaches a log.
    /// </summary>
    public static IServiceCollection AddOnCallServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OnCallOptions>().Bind(configuration.GetSection(OnCallOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OnCallOptions>, OnCallOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OnCallLookupCache>();
        services.TryAddSingleton<PagerDutyOnCallLookup>();
        services.TryAddSingleton<OpsgenieOnCallLookup>();

        var redact = new RefitSettings
        {
            MaxExceptionContentLength = 16 * 1024,
            ExceptionRedactor = exception => exception.RequestMessage?.Headers.Remove("Authorization"),
        };
        services.AddRefitGeneratedClient<IPagerDutyApi>(
                new RefitSettings(new SystemTextJsonContentSerializer(PagerDutyJsonContext.Default.Options))
                {
                    MaxExceptionContentLength = redact.MaxExceptionContentLength,
                    ExceptionRedactor = redact.ExceptionRedactor,
                },
                PagerDutyClientName)
            .ConfigureHttpClient((provider, http) =>
            {
                var options = provider.GetRequiredService<IOptions<OnCallOptions>>().Value.PagerDuty;
                http.BaseAddress = options.BaseUrl;
                http.Timeout = Timeout.InfiniteTimeSpan;
                http.DefaultRequestHeaders.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/vnd.pagerduty+json;version=2"));
                if (!string.IsNullOrWhiteSpace(options.ApiKey))
                {
                    http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"Token token={options.ApiKey.Trim()}");
                }
            })
            .RemoveAllLoggers();
        services.AddRefitGeneratedClient<IOpsgenieApi>(
                new RefitSettings(new SystemTextJsonContentSerializer(OpsgenieJsonContext.Default.Options))
                {
                    MaxExceptionContentLength = redact.MaxExceptionContentLength,
                    ExceptionRedactor = redact.ExceptionRedactor,
                },
                OpsgenieClientName)
            .ConfigureHttpClient((provider, http) =>
            {
                var options = provider.GetRequiredService<IOptions<OnCallOptions>>().Value.Opsgenie;
                http.BaseAddress = options.BaseUrl;
                http.Timeout = Timeout.InfiniteTimeSpan;
                http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                if (!string.IsNullOrWhiteSpace(options.ApiKey))
                {
                    http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"GenieKey {options.ApiKey.Trim()}");
                }
            })
            .RemoveAllLoggers();
        return services;
    }
}
