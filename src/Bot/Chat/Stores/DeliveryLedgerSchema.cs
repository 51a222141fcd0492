using PscaleBot.Bot.Persistence.Migrations;

namespace PscaleBot.Bot.Chat.Stores;

/// <summary>
/// The delivery ledger's table, per engine: one row per key digest (<see cref="DeliveryKey"/>) with the end of its
/// window in Unix milliseconds. The primary key is what decides a race; the index on the expiry serves the purge.
/// </summary>
public static class DeliveryLedgerSchema
{
    private const string Store = "delivery_ledger";

    /// <summary>Both engines. Append, never edit.</summary>
    public static EngineSchemas Schemas { get; } = new(
        new StoreSchema(Store, new SchemaMigration(1, "delivery keys", """
            CREATE TABLE IF NOT EXISTS delivery_keys (
                key_digest TEXT    NOT NULL PRIMARY KEY,
                expires_at INTEGER NOT NULL
            );
            CREATE INDEX IF NOT EXISTS ix_delivery_keys_expires ON delivery_keys (expires_at);
            """)),
        new StoreSchema(Store, new SchemaMigration(1, "delivery keys", """
            CREATE TABLE IF NOT EXISTS delivery_keys (
                key_digest TEXT   NOT NULL PRIMARY KEY,
                expires_at BIGINT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS ix_delivery_keys_expires ON delivery_keys (expires_at);
            """)));
}
