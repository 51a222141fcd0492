using System.Net.Http.Headers;
using System.Text.Json;
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

        AddServiceClient<IPagerDutyApi>(services, PagerDutyClientName, PagerDutyJsonContext.Default.Options, o => o.PagerDuty,
            "application/vnd.pagerduty+json;version=2", key => $"Token token={key}");
        AddServiceClient<IOpsgenieApi>(services, OpsgenieClientName, OpsgenieJsonContext.Default.Options, o => o.Opsgenie,
            "application/json", key => $"GenieKey {key}");
        return services;
    }

    // One service's Refit client: its JSON, its address and its key in the default headers (nowhere else); Refit's
    // exceptions drop the Authorization header before they carry the request, and the HTTP loggers are removed.
    private static void AddServiceClient<TApi>(
        IServiceCollection services,
        string name,
        JsonSerializerOptions json,
        Func<OnCallOptions, OnCallServiceOptions> service,
        string accept,
        Func<string, string> authorization)
        where TApi : class
    {
        var settings = new RefitSettings(new SystemTextJsonContentSerializer(json))
        {
            MaxExceptionContentLength = 16 * 1024,
            ExceptionRedactor = exception => exception.RequestMessage?.Headers.Remove("Authorization"),
        };
        services.AddRefitGeneratedClient<TApi>(settings, name)
            .ConfigureHttpClient((provider, http) =>
            {
                var options = service(provider.GetRequiredService<IOptions<OnCallOptions>>().Value);
                http.BaseAddress = options.BaseUrl;
                http.Timeout = Timeout.InfiniteTimeSpan;
                http.DefaultRequestHeaders.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
                if (!string.IsNullOrWhiteSpace(options.ApiKey))
                {
                    http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization(options.ApiKey.Trim()));
                }
            })
            .RemoveAllLoggers();
    }
}
