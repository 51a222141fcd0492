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
}
