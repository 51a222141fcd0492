using PscaleBot.Bot.Persistence.Migrations;

namespace PscaleBot.Bot.Access;

/// <summary>The access store's migrations, per engine.</summary>
public static class AccessSchema
{
    /// <summary>SQLite. Version 1 is the schema the first bots created; IF NOT EXISTS lets their files open as they are. Append, never edit.</summary>
    public static StoreSchema Sqlite { get; } = new(
        "access",
        new SchemaMigration(1, "access requests and grants", """
            CREATE TABLE IF NOT EXISTS access_requests (
                id            TEXT    PRIMARY KEY,
                state         TEXT    NOT NULL,
                organization  TEXT    NOT NULL,
                token_id      TEXT    NOT NULL,
                requester_id  TEXT    NOT NULL,
                created_at    INTEGER NOT NULL,
                expires_at    INTEGER NOT NULL,
                version       INTEGER NOT NULL,
                data          TEXT    NOT NULL
            );
            CREATE INDEX IF NOT EXISTS ix_access_requests_state ON access_requests (state, expires_at);
            CREATE TABLE IF NOT EXISTS access_grants (
                id            TEXT    PRIMARY KEY,
                state         TEXT    NOT NULL,
                organization  TEXT    NOT NULL,
                token_id      TEXT    NOT NULL,
                database_name TEXT    NULL,
                ends_at       INTEGER NOT NULL,
                ended_at      INTEGER NULL,
                claimed_by    TEXT    NULL,
                claimed_until INTEGER NULL,
                version       INTEGER NOT NULL,
                data          TEXT    NOT NULL
            );
            CREATE INDEX IF NOT EXISTS ix_access_grants_state ON access_grants (state, ends_at);
            CREATE INDEX IF NOT EXISTS ix_access_grants_token ON access_grants (organization, token_id, state);
            """),
        // A claim names the run that made it, not only the instance, so a restarted bot knows the claims its dead
        // predecessor left and takes them over at once (RevokeClaim). Old claims keep NULL: plain leases.
        new SchemaMigration(2, "revoke claims record the claiming run's start", """
            ALTER TABLE access_grants ADD COLUMN claimed_started_at INTEGER NULL;
            """));

    /// <summary>
    /// PostgreSQL, the same tables, columns and steps: times stay Unix milliseconds (<c>bigint</c>) so both stores
    /// compare and order them alike, and <c>data</c> is <c>jsonb</c>.
    /// </summary>
    public static StoreSchema Postgres { get; } = new(
        "access",
        new SchemaMigration(1, "access requests and grants", """
            CREATE TABLE IF NOT EXISTS access_requests (
                id            text    PRIMARY KEY,
                state         text    NOT NULL,
                organization  text    NOT NULL,
                token_id      text    NOT NULL,
                requester_id  text    NOT NULL,
                created_at    bigint  NOT NULL,
                expires_at    bigint  NOT NULL,
                version       bigint  NOT NULL,
                data          jsonb   NOT NULL
            );
            CREATE INDEX IF NOT EXISTS ix_access_requests_state ON access_requests (state, expires_at);
            CREATE TABLE IF NOT EXISTS access_grants (
                id            text    PRIMARY KEY,
                state         text    NOT NULL,
                organization  text    NOT NULL,
                token_id      text    NOT NULL,
                database_name text    NULL,
                ends_at       bigint  NOT NULL,
                ended_at      bigint  NULL,
                claimed_by    text    NULL,
                claimed_until bigint  NULL,
                version       bigint  NOT NULL,
                data          jsonb   NOT NULL
            );
            CREATE INDEX IF NOT EXISTS ix_access_grants_state ON access_grants (state, ends_at);
            CREATE INDEX IF NOT EXISTS ix_access_grants_token ON access_grants (organization, token_id, state);
            """),
        new SchemaMigration(2, "revoke claims record the claiming run's start", """
            ALTER TABLE access_grants ADD COLUMN IF NOT EXISTS claimed_started_at bigint NULL;
            """));

    /// <summary>Both engines' steps, kept in step.</summary>
    public static EngineSchemas Engines { get; } = new(Sqlite, Postgres);
}
