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
            DefaultTimeout = 30,
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
        return connection;
    }
}
