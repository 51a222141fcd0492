using PscaleBot.TestSupport.Postgres;

namespace PscaleBot.Bot.Tests.Persistence;

/// <summary>One throwaway PostgreSQL server for every test of this assembly that needs one.</summary>
[CollectionDefinition(PostgresCollection.Name)]
public sealed class PostgresCollectionDefinition : PostgresCollection;
