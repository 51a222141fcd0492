using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PscaleBot.Commands.Grammar;

/// <summary>Registers the command grammar.</summary>
public static class GrammarServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ICommandParser"/> (<see cref="ServiceTokenCommandParser"/>) and <see cref="IHelpText"/>
    /// (<see cref="CobraHelpText"/>) as singletons; both are stateless and thread-safe.
    /// </summary>
    public static IServiceCollection AddCommandGrammar(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ICommandParser, ServiceTokenCommandParser>();
        services.TryAddSingleton<IHelpText, CobraHelpText>();
        return services;
    }
}
