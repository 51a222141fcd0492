using PscaleBot.Bot.Persistence.Migrations;

namespace PscaleBot.Bot.PlanetScale;

/// <summary>
/// The shared PlanetScale rate budget's table: one row per credential with the current fixed window, the requests
/// taken in it, and a pause every replica honours after a 429. Only PostgreSQL uses it (one process on SQLite keeps its
/// budget in memory); SQLite declares the same table so the schema-parity test keeps both engines in step.
/// </summary>
public static class PlanetScaleBudgetSchema
{
    /// <summary>SQLite (declared for parity; unused).</summary>
    public static StoreSchema Sqlite { get; } = new(
        "planetscale_budget",
        new SchemaMigration(1, "planetscale budget", """
            CREATE TABLE IF NOT EXISTS planetscale_budget (
                credential_key  TEXT    NOT NULL PRIMARY KEY,
                window_start_ms INTEGER NOT NULL,
                used            INTEGER NOT NULL,
                paused_until_ms INTEGER NOT NULL
            );
            """));

    /// <summary>PostgreSQL: times are the bots' clock in Unix milliseconds, so every replica and test clock agree on them.</summary>
    public static StoreSchema Postgres { get; } = new(
        "planetscale_budget",
        new SchemaMigration(1, "planetscale budget", """
            CREATE TABLE IF NOT EXISTS planetscale_budget (
                credential_key  text   NOT NULL PRIMARY KEY,
                window_start_ms bigint NOT NULL,
                used            integer NOT NULL,
                paused_until_ms bigint NOT NULL
            );
            """));

    /// <summary>Both engines' steps, kept in step.</summary>
    public static EngineSchemas Engines { get; } = new(Sqlite, Postgres);
}
