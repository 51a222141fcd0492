using PscaleBot.Bot.Persistence.Migrations;

namespace PscaleBot.Bot.Persistence;

/// <summary>
/// The audit log's migrations, per engine. Version 3 adds <c>audit_export_cursor</c>: per export destination, the id of
/// the last row it has taken (<c>AuditExport:*</c>), so the export resumes after a restart where it stopped.
/// </summary>
public static class AuditSchema
{
    /// <summary>
    /// Version 2 adds the hash chain (<c>PscaleBot.Commands.Audit.AuditRowHash</c>). Rows already there keep null
    /// hashes: they precede the chain, whose first row points to the genesis hash (64 zeros); <c>audit verify</c> counts
    /// them as unchained. Neither engine can compute SHA-256 of the canonical form in plain SQL, so chaining them here
    /// would mean a second, SQL-side encoding to keep identical; marking where the chain starts is honest instead.
    /// </summary>
    private const string ChainNote = "-- rows before this version stay unchained; the chain starts at the next row (prev_hash = 64 zeros)\n";

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
            """),
        new SchemaMigration(2, "audit hash chain", ChainNote + """
            ALTER TABLE audit_entries ADD COLUMN prev_hash TEXT;
            ALTER TABLE audit_entries ADD COLUMN row_hash  TEXT;
            """),
        new SchemaMigration(3, "audit export cursor", """
            CREATE TABLE audit_export_cursor (
                sink        TEXT    PRIMARY KEY,
                last_id     INTEGER NOT NULL,
                updated_utc TEXT    NOT NULL
            );
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
            """),
        new SchemaMigration(2, "audit hash chain", ChainNote + """
            ALTER TABLE audit_entries ADD COLUMN prev_hash text;
            ALTER TABLE audit_entries ADD COLUMN row_hash  text;
            """),
        new SchemaMigration(3, "audit export cursor", """
            CREATE TABLE audit_export_cursor (
                sink        text        PRIMARY KEY,
                last_id     bigint      NOT NULL,
                updated_utc timestamptz NOT NULL
            );
            """));

    /// <summary>Both engines' steps, kept in step.</summary>
    public static EngineSchemas Engines { get; } = new(Sqlite, Postgres);
}
