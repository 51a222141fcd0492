using Npgsql;
using PscaleBot.Bot.Access;
using PscaleBot.Commands.Access;
using PscaleBot.TestSupport.Postgres;

namespace PscaleBot.Bot.Tests.Access;

/// <summary>
/// Grant and revoke on one token are serialised across replicas: each lock here has its own connection pool, as
/// another process would. "Waits" is read from <c>pg_locks</c> (an ungranted advisory lock), never from a timer.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresTokenChangeLockTests(PostgresCluster cluster) : IAsyncLifetime
{
    private readonly List<NpgsqlDataSource> dataSources = [];
    private string connectionString = "";

    public async Task InitializeAsync() => connectionString = await cluster.CreateDatabaseAsync("tokenlock");

    public async Task DisposeAsync()
    {
        foreach (var dataSource in dataSources)
        {
            await dataSource.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_second_replica_waits_for_the_first_to_release_the_same_token()
    {
        var first = Replica();
        var second = Replica();

        var held = await first.AcquireAsync("acme", "tok1", CancellationToken.None);
        var waiting = second.AcquireAsync("acme", "tok1", CancellationToken.None);
        await WaitForAdvisoryWaitersAsync(1);

        Assert.False(waiting.IsCompleted);
        await held.DisposeAsync();
        await using var afterwards = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, await AdvisoryWaitersAsync());
    }

    [Fact]
    public async Task Another_token_or_organization_does_not_wait()
    {
        var first = Replica();
        var second = Replica();

        await using var held = await first.AcquireAsync("acme", "tok1", CancellationToken.None);
        await using var otherToken = await second.AcquireAsync("acme", "tok2", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        await using var otherOrganization = await second.AcquireAsync("other", "tok1", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, await AdvisoryWaitersAsync());
    }

    [Fact]
    public async Task A_grant_on_another_replica_reads_the_token_only_after_a_revoke_there_has_finished()
    {
        // Replica A is mid-revoke on the token (holding its lock); replica B's grant must not read "already held" yet.
        var lockA = Replica();
        var world = new AccessWorld(new InMemoryAccessStore(), tokenLock: Replica());
        var target = new AccessTarget(world.Api.Organization, AccessWorld.Token, "prod", ["read_branch"]);
        var built = false;

        var revoking = await lockA.AcquireAsync(target.Organization, target.TokenId, CancellationToken.None);
        var granting = world.Grantor.GrantAsync(
            target,
            owned =>
            {
                built = true;
                throw new InvalidOperationException("stop here: only the ordering is under test");
            },
            _ => Task.FromResult(false),
            CancellationToken.None);
        await WaitForAdvisoryWaitersAsync(1);

        Assert.False(built);
        Assert.False(granting.IsCompleted);
        await revoking.DisposeAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => granting.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(built);
    }

    [Fact]
    public async Task A_replica_that_dies_holding_the_lock_frees_it()
    {
        var dying = NpgsqlDataSource.Create(connectionString);
        var held = await new PostgresTokenChangeLock(dying).AcquireAsync("acme", "tok1", CancellationToken.None);
        var waiting = Replica().AcquireAsync("acme", "tok1", CancellationToken.None);
        await WaitForAdvisoryWaitersAsync(1);

        // Killing its backend is what PostgreSQL sees when a replica's process is killed.
        await using (var admin = NpgsqlDataSource.Create(connectionString))
        {
            await using var kill = admin.CreateCommand(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted");
            await kill.ExecuteNonQueryAsync();
        }

        await using var afterwards = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        await held.DisposeAsync();
        await dying.DisposeAsync();
    }

    private PostgresTokenChangeLock Replica()
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        dataSources.Add(dataSource);
        return new PostgresTokenChangeLock(dataSource);
    }

    private async Task<long> AdvisoryWaitersAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task WaitForAdvisoryWaitersAsync(int count)
    {
        // Polls the server's own lock table: the waiter is observed queued, not assumed after a delay.
        for (var i = 0; i < 600; i++)
        {
            if (await AdvisoryWaitersAsync() >= count)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No {count} waiter(s) on an advisory lock appeared within 30 seconds.");
    }
}
