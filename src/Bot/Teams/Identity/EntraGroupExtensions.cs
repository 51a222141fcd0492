using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace PscaleBot.Bot.Teams.Identity;

/// <summary>Composition of the Entra group lookups behind <c>teams:group:</c> bindings.</summary>
public static class EntraGroupExtensions
{
    /// <summary>The named HttpClient for Graph and for MSAL's token requests.</summary>
    public const string HttpClientName = "EntraGraph";

    /// <summary>Registers <see cref="IEntraGroupDirectory"/> and its settings (<c>Teams:Groups</c>, validated at start-up).</summary>
    public static IServiceCollection AddEntraGroups(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EntraGroupOptions>().Bind(configuration.GetSection(EntraGroupOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EntraGroupOptions>, EntraGroupOptionsValidator>());
        services.AddHttpClient(HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        services.TryAddSingleton<GraphTokenSource>();
        services.TryAddSingleton<GraphGroupReader>();
        services.TryAddSingleton<IEntraGroupDirectory, EntraGroupDirectory>();
        services.TryAddSingleton<TeamsCallerGroups>();
        return services;
    }
}
