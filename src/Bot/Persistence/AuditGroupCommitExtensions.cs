using PscaleBot.Bot.Persistence.Migrations;
using PscaleBot.Commands.Audit;

namespace PscaleBot.Bot.Persistence;

/// <summary>Puts <see cref="GroupCommitAuditLog"/> in front of whichever audit store was registered.</summary>
public static class AuditGroupCommitExtensions
{
    /// <summary>
    /// Replaces the registered <see cref="IAuditLog"/> (SQLite or any other engine) with a group-commit decorator
    /// over it. Call after the store is added. The store is still migrated at start-up through the decorator.
    /// </summary>
    public static IServiceCollection AddAuditGroupCommit(this IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IAuditLog) && !d.IsKeyedService)
            ?? throw new InvalidOperationException("AddAuditGroupCommit needs an audit store: add one (AddAudit) first.");
        services.Remove(registered);
        services.AddSingleton<IAuditLog>(sp => new GroupCommittedStore(StoreOf(sp, registered)));
        return services;
    }

    private static IAuditLog StoreOf(IServiceProvider services, ServiceDescriptor registered) =>
        (IAuditLog)(registered.ImplementationInstance
            ?? registered.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, registered.ImplementationType!));

    /// <summary>The decorator as the host sees it: still the store that start-up migrates and names in its errors.</summary>
    private sealed class GroupCommittedStore(IAuditLog store) : IAuditLog, IMigratingStore
    {
        private readonly GroupCommitAuditLog batched = new(store);

        public string? Location => (store as IMigratingStore)?.Location;

        public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken) => batched.AppendAsync(entry, cancellationToken);

        public Task AppendManyAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken) =>
            store.AppendManyAsync(entries, cancellationToken);

        public Task<IReadOnlyList<AuditEntry>> RecentAsync(int limit, CancellationToken cancellationToken) =>
            store.RecentAsync(limit, cancellationToken);

        public Task MigrateAsync(CancellationToken cancellationToken) =>
            store is IMigratingStore migrating ? migrating.MigrateAsync(cancellationToken) : Task.CompletedTask;
    }
}
