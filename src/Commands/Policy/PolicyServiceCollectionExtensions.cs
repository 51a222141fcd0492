using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace PscaleBot.Commands.Policy;

/// <summary>Registers the channel-role authorisation policy.</summary>
public static class PolicyServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="PolicyOptions"/> from section <c>Policy</c>, validates the policy file at start (a missing or
    /// invalid file stops the app with every error and its line), registers <see cref="IAuthorizationPolicy"/> and
    /// watches the file for changes while the host runs.
    /// </summary>
    public static IServiceCollection AddAuthorizationPolicy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PolicyOptions>()
            .Bind(configuration.GetSection(PolicyOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PolicyOptions>, PolicyFileValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => PolicyPath.Resolve(
            sp.GetRequiredService<IOptions<PolicyOptions>>().Value.Path,
            sp.GetService<IHostEnvironment>()?.ContentRootPath));
        services.TryAddSingleton<PolicyStore>();
        services.TryAddSingleton<IAuthorizationPolicy, ReloadingAuthorizationPolicy>();
        services.AddHostedService<PolicyWatchService>();
        return services;
    }
}

/// <summary>Start-up validation of the policy file, so a bad file stops the host before it serves anyone.</summary>
internal sealed class PolicyFileValidator(IHostEnvironment? environment = null) : IValidateOptions<PolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, PolicyOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            return ValidateOptionsResult.Skip; // the [Required] attribute reports it
        }

        var path = PolicyPath.Resolve(options.Path, environment?.ContentRootPath).FullPath;
        var result = PolicyFileLoader.Load(path);
        return result.IsValid ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(PolicyFileException.Describe(path, result.Errors));
    }
}

/// <summary>Watches the policy file while the host runs.</summary>
internal sealed class PolicyWatchService(PolicyStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        store.StartWatching();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        store.StopWatching();
        return Task.CompletedTask;
    }
}
