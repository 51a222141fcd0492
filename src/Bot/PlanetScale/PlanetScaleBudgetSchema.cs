using PscaleBot.Bot.Persistence.Migrations;

namespace PscaleBot.Bot.PlanetScale;

/// <summary>
/// The shared PlanetScale rate budget's tables: <c>planetscale_budget</c> has one row per credential (the lock every take
/// holds, the pause every replica honours after a 429, and until when users' calls are waiting), and
/// <c>planetscale_budget_log</c> one row per request in the sliding window. Only PostgreSQL uses them (one process on
/// SQLite keeps its budget in memory); SQLite declares the same tables so the schema-parity test keeps both engines in step.
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
            """),
        new SchemaMigration(2, "planetscale budget sliding log", """
            ALTER TABLE planetscale_budget DROP COLUMN window_start_ms;
            ALTER TABLE planetscale_budget ADD COLUMN users_waiting_until_ms INTEGER NOT NULL DEFAULT 0;
            CREATE TABLE IF NOT EXISTS planetscale_budget_log (
                credential_key TEXT    NOT NULL,
                taken_ms       INTEGER NOT NULL,
                priority       INTEGER NOT NULL
            );
            CREATE INDEX IF NOT EXISTS planetscale_budget_log_taken ON planetscale_budget_log (credential_key, taken_ms);
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
            """),
        // Fixed windows let two limits' worth out in the seconds around a boundary (measured: 112 % of the limit and
        // 429s with two replicas); the log counts exactly what went out in the last window, as PlanetScale may.
        new SchemaMigration(2, "planetscale budget sliding log", """
            ALTER TABLE planetscale_budget DROP COLUMN window_start_ms;
            ALTER TABLE planetscale_budget ADD COLUMN users_waiting_until_ms bigint NOT NULL DEFAULT 0;
            CREATE TABLE IF NOT EXISTS planetscale_budget_log (
                credential_key text    NOT NULL,
                taken_ms       bigint  NOT NULL,
                priority       integer NOT NULL
            );
            CREATE INDEX IF NOT EXISTS planetscale_budget_log_taken ON planetscale_budget_log (credential_key, taken_ms);
            """));

    /// <summary>Both engines' steps, kept in step.</summary>
    public static EngineSchemas Engines { get; } = new(Sqlite, Postgres);
}
