using System.Data.Common;
using PscaleBot.Bot.Persistence;
using PscaleBot.Bot.Persistence.Migrations;

namespace PscaleBot.Bot.Chat.Stores;

/// <summary>
/// <see cref="IStoreDatabase"/> on the shared PostgreSQL database (<see cref="PostgresDatabase"/>: the one pooled data
/// source, migrations under the advisory lock), so every replica reads and writes the same rows.
/// </summary>
public sealed class PostgresStoreDatabase(PostgresDatabase database) : IStoreDatabase
{
    /// <inheritdoc />
    public string? Location => database.Location;

    /// <inheritdoc />
    public string? Setting => database.Setting;

    /// <inheritdoc />
    public Task MigrateAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);

    /// <inheritdoc />
    public SqlDialect Dialect => SqlDialect.Postgres;

    /// <inheritdoc />
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await database.OpenAsync(cancellationToken);
}
