using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace PscaleBot.Bot.Persistence;

/// <summary>Registers the choice of database engine, shared by every store.</summary>
public static class StorageExtensions
{
    /// <summary>
    /// Binds and validates <c>Storage:Provider</c> and <c>ConnectionStrings:Postgres</c> at start, registers the one
    /// <see cref="NpgsqlDataSource"/> (built only when the provider is Postgres) and the <c>database</c> readiness check.
    /// Each store's own registration chooses its implementation from <see cref="StorageOptions.Engine"/>. Safe to call
    /// from every store's registration: it registers once.
    /// </summary>
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(StorageMarker)))
        {
            return builder;
        }

        services.AddSingleton<StorageMarker>();
        services.AddOptions<StorageOptions>()
            .Bind(builder.Configuration.GetSection(StorageOptions.SectionName))
            .Configure<IConfiguration>((o, configuration) => o.PostgresConnectionString = configuration.GetConnectionString("Postgres"))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            if (options.Engine != StorageProvider.Postgres || string.IsNullOrWhiteSpace(options.PostgresConnectionString))
            {
                throw new InvalidOperationException("The PostgreSQL data source is only built when Storage:Provider is Postgres with ConnectionStrings:Postgres set.");
            }

            var dataSource = new NpgsqlDataSourceBuilder(options.PostgresConnectionString);
            dataSource.UseLoggerFactory(sp.GetService<ILoggerFactory>());
            return dataSource.Build();
        });
        services.TryAddSingleton<DatabaseHealthCheck>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return builder;
    }

    /// <summary>Whether the stores run on PostgreSQL (false when <see cref="AddStorage"/> was never called: SQLite).</summary>
    public static bool UsesPostgres(this IServiceProvider services) =>
        services.GetService<IOptions<StorageOptions>>()?.Value.Engine == StorageProvider.Postgres;

    private sealed class StorageMarker;
}
