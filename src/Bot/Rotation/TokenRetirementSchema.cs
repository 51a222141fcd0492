using PscaleBot.Bot.Persistence.Migrations;

namespace PscaleBot.Bot.Rotation;

/// <summary>
/// The scheduled-deletion store's migrations, per engine, recorded as store <c>token_retirements</c> next to the access
/// store's tables (same file or database). <c>data</c> is plain text on both engines so one set of statements serves
/// both. Append, never edit.
/// </summary>
public static class TokenRetirementSchema
{
    /// <summary>SQLite.</summary>
    public static StoreSchema Sqlite { get; } = new(
        "token_retirements",
        new SchemaMigration(1, "scheduled deletions of rotated-out tokens", """
            CREATE TABLE IF NOT EXISTS token_retirements (
                id            TEXT    PRIMARY KEY,
                state         TEXT    NOT NULL,
                organization  TEXT    NOT NULL,
                token_id      TEXT    NOT NULL,
                due_at        INTEGER NOT NULL,
                version       INTEGER NOT NULL,
                data          TEXT    NOT NULL
            );
            CREATE INDEX IF NOT EXISTS ix_token_retirements_state ON token_retirements (state, due_at);
            CREATE INDEX IF NOT EXISTS ix_token_retirements_token ON token_retirements (organization, token_id, state);
            """));

    /// <summary>PostgreSQL: the same table, times as Unix milliseconds (<c>bigint</c>).</summary>
    public static StoreSchema Postgres { get; } = new(
        "token_retirements",
        new SchemaMigration(1, "scheduled deletions of rotated-out tokens", """
            CREATE TABLE IF NOT EXISTS token_retirements (
                id            text    PRIMARY KEY,
                state         text    NOT NULL,
                organization  text    NOT NULL,
                token_id      text    NOT NULL,
                due_at        bigint  NOT NULL,
                version       bigint  NOT NULL,
                data          text    NOT NULL
            );
            CREATE INDEX IF NOT EXISTS ix_token_retirements_state ON token_retirements (state, due_at);
            CREATE INDEX IF NOT EXISTS ix_token_retirements_token ON token_retirements (organization, token_id, state);
            """));

    /// <summary>Both engines' steps, kept in step.</summary>
    public static EngineSchemas Engines { get; } = new(Sqlite, Postgres);
}
