namespace PscaleBot.Bot.Persistence.Migrations;

/// <summary>
/// One store's migrations for both engines, side by side so they cannot drift: the same store name, and the same
/// versions with the same names in the same order. That the tables and columns match too is proved against real
/// databases by the schema-parity test, which finds every <see cref="EngineSchemas"/> exposed as a public static
/// property in this assembly; a new store only has to expose one.
/// </summary>
public sealed record EngineSchemas
{
    /// <summary>A pair; throws when the two lists do not name the same steps.</summary>
    public EngineSchemas(StoreSchema sqlite, StoreSchema postgres)
    {
        ArgumentNullException.ThrowIfNull(sqlite);
        ArgumentNullException.ThrowIfNull(postgres);
        if (!string.Equals(sqlite.Store, postgres.Store, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The SQLite store {sqlite.Store} and the PostgreSQL store {postgres.Store} must have the same name.", nameof(postgres));
        }

        var sqliteSteps = sqlite.Migrations.Select(m => $"{m.Version} {m.Name}");
        var postgresSteps = postgres.Migrations.Select(m => $"{m.Version} {m.Name}");
        if (!sqliteSteps.SequenceEqual(postgresSteps, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"The {sqlite.Store} store's migrations differ between engines (SQLite: {string.Join(", ", sqliteSteps)}; PostgreSQL: {string.Join(", ", postgresSteps)}); every version needs a step on both.",
                nameof(postgres));
        }

        Sqlite = sqlite;
        Postgres = postgres;
    }

    /// <summary>The store's name in <c>schema_migrations</c>.</summary>
    public string Store => Sqlite.Store;

    /// <summary>The SQLite steps.</summary>
    public StoreSchema Sqlite { get; }

    /// <summary>The PostgreSQL steps.</summary>
    public StoreSchema Postgres { get; }
}
