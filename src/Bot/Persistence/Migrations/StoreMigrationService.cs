using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace PscaleBot.Bot.Persistence.Migrations;

/// <summary>A store whose schema can be brought up to date before the bot serves anything.</summary>
public interface IMigratingStore
{
    /// <summary>Where the store lives (a file path), for the sentence that says it cannot be used; null when unknown.</summary>
    string? Location => null;

    /// <summary>The setting that places the store when the store knows it better than its registration
    /// (<c>ConnectionStrings:Postgres</c> for every PostgreSQL store); null to use the registered one.</summary>
    string? Setting => null;

    /// <summary>Applies the missing migrations; does nothing once done.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);
}

/// <summary>The store services migrated at start-up.</summary>
public sealed class StoreMigrationOptions
{
    /// <summary>Service types resolved at start; those that are an <see cref="IMigratingStore"/> are migrated (fakes are skipped).</summary>
    public IList<Type> Stores { get; } = [];

    /// <summary>The setting that places each store (<c>Audit:Path</c>), named when the store cannot be used.</summary>
    public IDictionary<Type, string> Settings { get; } = new Dictionary<Type, string>();
}

/// <summary>
/// Applies every registered store's migrations when the host starts, so a database the bot cannot use (a corrupt
/// file, a read-only folder, one from a newer bot) stops the start instead of failing the first command or the
/// sweep. <see cref="Hosting.StartupProblems"/> runs the same check before the host starts, to report it as a
/// sentence naming the setting. Stores still migrate on first use, for code that builds them without a host.
/// </summary>
public sealed class StoreMigrationService(IServiceProvider services, IOptions<StoreMigrationOptions> options) : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await FindProblemsAsync(services, options.Value, cancellationToken) is { Count: > 0 } problems)
        {
            throw new InvalidOperationException(string.Join(" ", problems));
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Migrates every registered store; one sentence per store that cannot be used, naming its setting.</summary>
    public static async Task<IReadOnlyList<string>> FindProblemsAsync(
        IServiceProvider services, StoreMigrationOptions options, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        foreach (var type in options.Stores.Distinct())
        {
            IMigratingStore? store = null;
            try
            {
                store = services.GetService(type) as IMigratingStore;
                if (store is not null)
                {
                    await store.MigrateAsync(cancellationToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var setting = store?.Setting ?? (options.Settings.TryGetValue(type, out var name) ? name : $"The {type.Name} store");
                problems.Add(StoreFailure.Sentence(setting, store?.Location, ex));
            }
        }

        return [.. problems.Distinct(StringComparer.Ordinal)];
    }
}

/// <summary>Registration of start-up migrations.</summary>
public static class StoreMigrationExtensions
{
    /// <summary>Migrates the <typeparamref name="TStore"/> service at start-up when it is an <see cref="IMigratingStore"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="setting">The setting that places the store (<c>Audit:Path</c>), named when it cannot be used.</param>
    public static IServiceCollection MigrateAtStartup<TStore>(this IServiceCollection services, string? setting = null)
        where TStore : class
    {
        services.Configure<StoreMigrationOptions>(o =>
        {
            o.Stores.Add(typeof(TStore));
            if (setting is not null)
            {
                o.Settings[typeof(TStore)] = setting;
            }
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, StoreMigrationService>());
        return services;
    }
}
