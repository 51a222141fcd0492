namespace PscaleBot.Bot.Persistence.Migrations;

/// <summary>One step of a store's schema. Never edit an applied one; append the next version.</summary>
/// <param name="Version">1, 2, 3 … in order, no gaps.</param>
/// <param name="Name">What it does, recorded beside the version.</param>
/// <param name="Script">The SQL, for one engine.</param>
public sealed record SchemaMigration(int Version, string Name, string Script);

/// <summary>
/// The ordered migrations of one store for one engine. Each store keeps one list per engine, paired in an
/// <see cref="EngineSchemas"/>, all recorded in the same <c>schema_migrations</c> table under the store's name, so
/// several stores can share one database.
/// </summary>
public sealed record StoreSchema
{
    /// <summary>A schema; throws when the versions are not 1, 2, 3 … in order.</summary>
    /// <param name="store">The store's name in <c>schema_migrations</c> (<c>audit</c>, <c>access</c>).</param>
    /// <param name="migrations">The steps, oldest first.</param>
    public StoreSchema(string store, params SchemaMigration[] migrations)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(store);
        for (var i = 0; i < migrations.Length; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new ArgumentException($"The migrations of {store} must be numbered 1, 2, 3 … in order; found {migrations[i].Version} at position {i + 1}.", nameof(migrations));
            }
        }

        Store = store;
        Migrations = migrations;
    }

    /// <summary>The store's name in <c>schema_migrations</c>.</summary>
    public string Store { get; }

    /// <summary>The steps, oldest first.</summary>
    public IReadOnlyList<SchemaMigration> Migrations { get; }

    /// <summary>The version the code expects.</summary>
    public int LatestVersion => Migrations.Count;
}
