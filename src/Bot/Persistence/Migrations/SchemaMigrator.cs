using System.Data.Common;
using System.Globalization;

namespace PscaleBot.Bot.Persistence.Migrations;

/// <summary>What differs between engines when migrating; the SQL of the runner itself is portable.</summary>
/// <param name="Name">The engine (<c>sqlite</c>, <c>postgres</c>).</param>
/// <param name="MigrationLock">
/// A statement run first in the migration transaction so concurrent starters apply each step once; null when
/// beginning the transaction already locks (SQLite's <c>BEGIN IMMEDIATE</c>).
/// </param>
public sealed record SqlDialect(string Name, string? MigrationLock)
{
    /// <summary>SQLite: Microsoft.Data.Sqlite begins transactions with <c>BEGIN IMMEDIATE</c>, which takes the write lock.</summary>
    public static SqlDialect Sqlite { get; } = new("sqlite", null);

    /// <summary>
    /// PostgreSQL: replicas starting together would race on <c>CREATE TABLE</c> and on the version rows, so each
    /// takes one transaction-scoped advisory lock first (released at commit or rollback, even when the process dies).
    /// The key is the bytes of "pscalebt"; every store shares it, so all of one database's migrations run one at a time.
    /// </summary>
    public static SqlDialect Postgres { get; } = new("postgres", "SELECT pg_advisory_xact_lock(8102929424651215476)");
}

/// <summary>
/// Brings a store's schema up to date on an open ADO.NET connection, whatever the engine: in one locked
/// transaction it reads the versions recorded for the store in <c>schema_migrations</c>, runs the missing steps
/// in order and records each. A database newer than the code is refused rather than written.
/// </summary>
public static partial class SchemaMigrator
{
    private const string CreateTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            store      TEXT    NOT NULL,
            version    INTEGER NOT NULL,
            name       TEXT    NOT NULL,
            applied_at TEXT    NOT NULL,
            PRIMARY KEY (store, version)
        )
        """;

    /// <summary>Applies the steps of <paramref name="schema"/> that <paramref name="connection"/>'s database lacks; the versions applied.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="dialect">The engine's differences.</param>
    /// <param name="schema">The store's steps for this engine.</param>
    /// <param name="time">Stamps <c>applied_at</c>.</param>
    /// <param name="logger">Receives one line per step applied.</param>
    /// <param name="cancellationToken">Stops between statements.</param>
    public static async Task<IReadOnlyList<int>> MigrateAsync(
        DbConnection connection, SqlDialect dialect, StoreSchema schema, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(schema);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (dialect.MigrationLock is { } lockStatement)
        {
            await ExecuteAsync(transaction, lockStatement, cancellationToken);
        }

        await ExecuteAsync(transaction, CreateTable, cancellationToken);
        var current = Convert.ToInt32(
            await ScalarAsync(transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE store = @store", cancellationToken, ("@store", schema.Store)),
            CultureInfo.InvariantCulture);
        if (current > schema.LatestVersion)
        {
            throw new InvalidOperationException(
                $"The {schema.Store} database has schema version {current}, newer than this bot's {schema.LatestVersion}; use a newer bot or another database.");
        }

        var applied = new List<int>();
        foreach (var migration in schema.Migrations.Skip(current))
        {
            await ExecuteAsync(transaction, migration.Script, cancellationToken);
            await ExecuteAsync(
                transaction,
                "INSERT INTO schema_migrations (store, version, name, applied_at) VALUES (@store, @version, @name, @applied_at)",
                cancellationToken,
                ("@store", schema.Store), ("@version", migration.Version), ("@name", migration.Name),
                ("@applied_at", time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture)));
            applied.Add(migration.Version);
            LogMigrated(logger, schema.Store, migration.Version, migration.Name);
        }

        await transaction.CommitAsync(cancellationToken);
        return applied;
    }

    private static async Task ExecuteAsync(DbTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(transaction, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> ScalarAsync(DbTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(transaction, sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static DbCommand Command(DbTransaction transaction, string sql, (string Name, object Value)[] parameters)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Store {Store} migrated to schema version {Version} ({Name})")]
    private static partial void LogMigrated(ILogger logger, string store, int version, string name);
}
