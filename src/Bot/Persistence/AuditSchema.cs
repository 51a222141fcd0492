using PscaleBot.Bot.Persistence.Migrations;

namespace PscaleBot.Bot.Persistence;

/// <summary>The audit log's migrations, per engine.</summary>
public static class AuditSchema
{
    /// <summary>SQLite. Version 1 is the schema the first bots created; IF NOT EXISTS lets their files open as they are.</summary>
    public static StoreSchema Sqlite { get; } = new(
        "audit",
        new SchemaMigration(1, "audit entries", """
            CREATE TABLE IF NOT EXISTS audit_entries (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                time_ms     INTEGER NOT NULL,
                time_utc    TEXT    NOT NULL,
                platform    TEXT    NOT NULL,
                place       TEXT    NOT NULL,
                user_id     TEXT    NOT NULL,
                command     TEXT    NOT NULL,
                decision    TEXT    NOT NULL,
                reason      TEXT,
                outcome     TEXT    NOT NULL,
                request_ids TEXT    NOT NULL
            );
            CREATE INDEX IF NOT EXISTS ix_audit_entries_time ON audit_entries (time_ms);
            """));

    /// <summary>
    /// PostgreSQL, the same table and columns: an identity key, <c>time_utc</c> as <c>timestamptz</c> (so operators can
    /// query by time), <c>request_ids</c> as <c>jsonb</c>; <c>time_ms</c> stays the ordering key, as in SQLite.
    /// </summary>
    public static StoreSchema Postgres { get; } = new(
        "audit",
        new SchemaMigration(1, "audit entries", """
            CREATE TABLE IF NOT EXISTS audit_entries (
                id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                time_ms     bigint      NOT NULL,
                time_utc    timestamptz NOT NULL,
                platform    text        NOT NULL,
                place       text        NOT NULL,
                user_id     text        NOT NULL,
                command     text        NOT NULL,
                decision    text        NOT NULL,
                reason      text,
                outcome     text        NOT NULL,
                request_ids jsonb       NOT NULL
            );
            CREATE INDEX IF NOT EXISTS ix_audit_entries_time ON audit_entries (time_ms);
            """));

    /// <summary>Both engines' steps, kept in step.</summary>
    public static EngineSchemas Engines { get; } = new(Sqlite, Postgres);
}
