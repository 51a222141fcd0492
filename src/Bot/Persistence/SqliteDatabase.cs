using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using PscaleBot.Bot.Persistence.Migrations;

namespace PscaleBot.Bot.Persistence;

/// <summary>
/// One store's SQLite file: creates the folder, opens pooled connections (30 s busy wait), switches the file to
/// WAL and applies the store's migrations once, on <see cref="MigrateAsync"/> at start-up or on the first open.
/// Several stores may share a file; each records its own versions in <c>schema_migrations</c>.
/// </summary>
public sealed class SqliteDatabase : IMigratingStore, IDisposable
{
    private const int BusyTimeoutSeconds = 30;

    private readonly string connectionString;
    private readonly StoreSchema schema;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly SemaphoreSlim migrateGate = new(1, 1);
    private volatile bool migrated;

    /// <summary>A database at <paramref name="path"/> (relative paths are taken from the working directory).</summary>
    public SqliteDatabase(string path, StoreSchema schema, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(schema);
        Path = System.IO.Path.GetFullPath(path);
        this.schema = schema;
        this.time = time ?? TimeProvider.System;
        this.logger = logger ?? NullLogger.Instance;
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = BusyTimeoutSeconds,
        }.ToString();
    }

    /// <summary>The full path of the file.</summary>
    public string Path { get; }

    /// <summary>An open connection to an up-to-date database; the caller disposes it.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken);
        return await OpenRawAsync(cancellationToken);
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

            if (System.IO.Path.GetDirectoryName(Path) is { Length: > 0 } folder)
            {
                Directory.CreateDirectory(folder);
            }

            await using var connection = await OpenRawAsync(cancellationToken);
            await using (var wal = connection.CreateCommand())
            {
                // Readers do not block the writer; the mode is stored in the file, so once is enough.
                wal.CommandText = "PRAGMA journal_mode = WAL;";
                await wal.ExecuteNonQueryAsync(cancellationToken);
            }

            await SchemaMigrator.MigrateAsync(connection, SqlDialect.Sqlite, schema, time, logger, cancellationToken);
            migrated = true;
        }
        finally
        {
            migrateGate.Release();
        }
    }

    /// <summary>Releases the pooled connections, so the file can be moved or deleted.</summary>
    public void Dispose()
    {
        using var connection = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(connection);
        migrateGate.Dispose();
    }

    private async Task<SqliteConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        // Microsoft.Data.Sqlite waits out a busy database in its own loop, which sleeps the thread 150 ms between tries;
        // SQLite's own busy handler retries after 1, 2, 5, 10… ms. Under a burst of short writers that is the
        // difference between a wait of a few milliseconds and one of 150. Same 30 s limit as DefaultTimeout.
        SQLitePCL.raw.sqlite3_busy_timeout(connection.Handle, BusyTimeoutSeconds * 1000);
        return connection;
    }
}
