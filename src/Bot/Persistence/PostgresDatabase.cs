using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PscaleBot.Bot.Persistence.Migrations;

namespace PscaleBot.Bot.Persistence;

/// <summary>
/// One store's tables in the shared PostgreSQL database: connections from the one <see cref="NpgsqlDataSource"/>
/// (its pool), and the store's migrations applied once per process, on <see cref="MigrateAsync"/> at start-up or on
/// the first open. Replicas starting together migrate once: the migrator takes an advisory lock first
/// (<see cref="SqlDialect.Postgres"/>).
/// </summary>
public sealed class PostgresDatabase : IMigratingStore
{
    private readonly StoreSchema schema;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly SemaphoreSlim migrateGate = new(1, 1);
    private volatile bool migrated;

    /// <summary>The store described by <paramref name="schema"/> in <paramref name="dataSource"/>'s database.</summary>
    public PostgresDatabase(NpgsqlDataSource dataSource, StoreSchema schema, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(schema);
        DataSource = dataSource;
        this.schema = schema;
        this.time = time ?? TimeProvider.System;
        this.logger = logger ?? NullLogger.Instance;
        Location = Describe(dataSource);
    }

    /// <summary>The shared pool.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <inheritdoc />
    public string? Location { get; }

    /// <inheritdoc />
    public string? Setting => StorageOptions.ConnectionStringSetting;

    /// <summary>Where the database is, for operators: <c>host:port/database</c>, never the user or password.</summary>
    public static string Describe(NpgsqlDataSource dataSource)
    {
        var parsed = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        return $"{parsed.Host}:{parsed.Port}/{parsed.Database ?? parsed.Username}";
    }

    /// <summary>An open connection to an up-to-date database; the caller disposes it (back to the pool).</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken);
        return await DataSource.OpenConnectionAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        if (migrated)
        {
            return;
        }

        await migrateGate.WaitAsync(cancellationToken);
        try
        {
            if (migrated)
            {
                return;
            }

            await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
            await SchemaMigrator.MigrateAsync(connection, SqlDialect.Postgres, schema, time, logger, cancellationToken);
            migrated = true;
        }
        finally
        {
            migrateGate.Release();
        }
    }
}
