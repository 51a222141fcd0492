using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace PscaleBot.Bot.Persistence.Migrations;

/// <summary>A store whose schema can be brought up to date before the bot serves anything.</summary>
public interface IMigratingStore
{
    /// <summary>Applies the missing migrations; does nothing once done.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);
}

/// <summary>The store services migrated at start-up.</summary>
public sealed class StoreMigrationOptions
{
    /// <summary>Service types resolved at start; those that are an <see cref="IMigratingStore"/> are migrated (fakes are skipped).</summary>
    public IList<Type> Stores { get; } = [];
}

/// <summary>
/// Applies every registered store's migrations when the host starts, so a database the bot cannot use (one
/// from a newer bot, say) stops the start instead of failing the first command. Stores still migrate on first
/// use, for code that builds them without a host.
/// </summary>
public sealed class StoreMigrationService(IServiceProvider services, IOptions<StoreMigrationOptions> options) : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var type in options.Value.Stores.Distinct())
        {
            if (services.GetService(type) is IMigratingStore store)
            {
                await store.MigrateAsync(cancellationToken);
            }
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Registration of start-up migrations.</summary>
public static class StoreMigrationExtensions
{
    /// <summary>Migrates the <typeparamref name="TStore"/> service at start-up when it is an <see cref="IMigratingStore"/>.</summary>
    public static IServiceCollection MigrateAtStartup<TStore>(this IServiceCollection services)
        where TStore : class
    {
        services.Configure<StoreMigrationOptions>(o => o.Stores.Add(typeof(TStore)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, StoreMigrationService>());
        return services;
    }
}
