using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using PscaleBot.Bot.Persistence;
using PscaleBot.Bot.Persistence.Migrations;
using PscaleBot.Commands.Access;

namespace PscaleBot.Bot.Chat.Stores;

/// <summary>Registers the chat layer's durable state: the delivery ledger, in the database the other stores use (<c>Storage:Provider</c>).</summary>
public static class ChatStoreExtensions
{
    /// <summary>The setting that places the chat stores' SQLite tables (the access store's file).</summary>
    public const string SqliteSetting = $"{AccessRequestOptions.SectionName}:{nameof(AccessRequestOptions.StorePath)}";

    /// <summary>Adds <see cref="IDeliveryLedger"/> as a <see cref="SqlDeliveryLedger"/> (unless one was registered first), migrated at start.</summary>
    public static IServiceCollection AddDeliveryLedger(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IDeliveryLedger>(sp => new SqlDeliveryLedger(
            Database(sp, DeliveryLedgerSchema.Schemas, sp.GetService<ILogger<SqlDeliveryLedger>>()),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<SqlDeliveryLedger>>()));
        services.MigrateAtStartup<IDeliveryLedger>(SqliteSetting);
        return services;
    }

    /// <summary>
    /// The database for a chat store with <paramref name="schemas"/>, by <c>Storage:Provider</c>: the shared PostgreSQL
    /// database (<c>ConnectionStrings:Postgres</c>), else the access store's SQLite file (<c>AccessRequests:StorePath</c>).
    /// </summary>
    public static IStoreDatabase Database(IServiceProvider services, EngineSchemas schemas, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(schemas);
        var time = services.GetRequiredService<TimeProvider>();
        return services.UsesPostgres()
            ? new PostgresStoreDatabase(new PostgresDatabase(services.GetRequiredService<NpgsqlDataSource>(), schemas.Postgres, time, logger))
            : new SqliteStoreDatabase(services.GetRequiredService<IOptions<AccessRequestOptions>>().Value.StorePath, schemas, time, logger);
    }
}
