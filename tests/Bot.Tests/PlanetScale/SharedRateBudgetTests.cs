using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using PscaleBot.Bot.PlanetScale;
using PscaleBot.Bot.Persistence;
using PscaleBot.Commands.PlanetScale.Budget;
using PscaleBot.TestSupport.Postgres;

namespace PscaleBot.Bot.Tests.PlanetScale;

/// <summary>
/// Issue 10 §2: every replica shares the credential's PlanetScale budget through PostgreSQL, revocations get first
/// call on it, a 429 pauses them all, and an unreachable database falls back to a share of the limit. Three
/// <see cref="SharedRateBudget"/> instances on one database are the three replicas; the clock is a fake one.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SharedRateBudgetTests(PostgresCluster cluster) : IAsyncLifetime
{
    private const string Credential = "token:abc";
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
    private readonly List<SharedRateBudget> replicas = [];
    private NpgsqlDataSource? dataSource;

    public async Task InitializeAsync() => dataSource = NpgsqlDataSource.Create(await cluster.CreateDatabaseAsync(nameof(SharedRateBudgetTests)));

    public async Task DisposeAsync()
    {
        foreach (var replica in replicas)
        {
            replica.Dispose();
        }

        if (dataSource is not null)
        {
            await dataSource.DisposeAsync();
        }
    }

    [Fact]
    public void The_budget_table_is_declared_for_both_engines() =>
        Assert.Contains("planetscale_budget", Persistence.SchemaParityTests.AllStores().Select(s => s.Store));

    [Fact]
    public async Task Three_replicas_never_hand_out_more_than_the_limit_per_window()
    {
        var trio = new[] { Replica(20), Replica(20), Replica(20) };
        var calls = trio.ToDictionary(r => r, r => Enumerable.Range(0, 15).Select(_ => r.AcquireAsync(Credential, PlanetScaleCallPriority.Revocation, CancellationToken.None).AsTask()).ToList());
        var all = calls.Values.SelectMany(c => c).ToList();

        await WaitUntil(() => all.Count(t => t.IsCompletedSuccessfully) >= 20, "20 permits");
        await ReplicasWithCallsLeftWereTurnedAway(calls, new Dictionary<SharedRateBudget, long>());
        Assert.Equal(20, all.Count(t => t.IsCompleted));
        Assert.Equal(20, await UsedAsync());
        var denials = trio.ToDictionary(r => r, r => r.Denials);
        time.Advance(PostgresBudgetCounter.Window);

        await WaitUntil(() => all.Count(t => t.IsCompletedSuccessfully) >= 40, "40 permits");
        await ReplicasWithCallsLeftWereTurnedAway(calls, denials);
        Assert.Equal(40, all.Count(t => t.IsCompleted));
        Assert.Equal(20, await UsedAsync());
        time.Advance(PostgresBudgetCounter.Window);

        await WaitUntil(() => all.All(t => t.IsCompletedSuccessfully), "the last 5 permits");
        Assert.Equal(5, await UsedAsync());
    }

    [Fact]
    public async Task Revocations_find_room_on_every_replica_when_reads_have_used_their_share()
    {
        var trio = new[] { Replica(10), Replica(10), Replica(10) };
        var reads = trio.SelectMany(r => Enumerable.Range(0, 8).Select(_ => r.AcquireAsync(Credential, PlanetScaleCallPriority.Read, CancellationToken.None).AsTask())).ToList();
        await WaitUntil(() => reads.Count(t => t.IsCompletedSuccessfully) >= 7, "the reads' 70 % share");
        await EveryReplicaWasTurnedAway(1);

        var revocations = trio.Select(r => r.AcquireAsync(Credential, PlanetScaleCallPriority.Revocation, CancellationToken.None).AsTask()).ToList();
        await WaitUntil(() => revocations.All(t => t.IsCompletedSuccessfully), "a revocation on each replica");

        Assert.Equal(7, reads.Count(t => t.IsCompleted));
        Assert.Equal(10, await UsedAsync());
    }

    [Fact]
    public async Task A_pause_set_by_one_replica_is_honoured_by_the_others()
    {
        var (a, b) = (Replica(600), Replica(600));
        await a.PauseAsync(Credential, TimeSpan.FromSeconds(30));

        var revocation = b.AcquireAsync(Credential, PlanetScaleCallPriority.Revocation, CancellationToken.None).AsTask();
        await WaitUntil(() => b.Denials >= 1, "the other replica to find the pause");
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(revocation.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1));
        await WaitUntil(() => revocation.IsCompletedSuccessfully, "the permit once the pause is over");
        Assert.Equal(1, await UsedAsync());
    }

    [Fact]
    public async Task No_window_of_a_minute_sees_more_than_the_limit_wherever_the_requests_fall()
    {
        var (a, b) = (Replica(10), Replica(10));
        time.Advance(TimeSpan.FromSeconds(50));
        var early = Enumerable.Range(0, 10).Select(_ => a.AcquireAsync(Credential, PlanetScaleCallPriority.Revocation, CancellationToken.None).AsTask()).ToList();
        await WaitUntil(() => early.All(t => t.IsCompletedSuccessfully), "the first 10 permits");

        // Twelve seconds on, a fixed window would have started afresh; the requests of 12 s ago still count.
        time.Advance(TimeSpan.FromSeconds(12));
        var late = Enumerable.Range(0, 5).Select(_ => b.AcquireAsync(Credential, PlanetScaleCallPriority.Revocation, CancellationToken.None).AsTask()).ToList();
        await WaitUntil(() => b.Denials >= 1, "the other replica to find the window full");
        time.Advance(PostgresBudgetCounter.Window - TimeSpan.FromSeconds(12) - TimeSpan.FromMilliseconds(1));
        Assert.DoesNotContain(late, t => t.IsCompleted);
        Assert.Equal(1, b.Denials);

        time.Advance(TimeSpan.FromMilliseconds(1));
        await WaitUntil(() => late.All(t => t.IsCompletedSuccessfully), "the permits once the first 10 left the window");
        Assert.Equal(5, await UsedAsync());
    }

    [Fact]
    public async Task Users_waiting_on_one_replica_keep_their_share_while_a_storm_of_revocations_fills_another()
    {
        var (storm, users) = (Replica(100), Replica(100));
        var revocations = Enumerable.Range(0, 250).Select(_ => storm.AcquireAsync(Credential, PlanetScaleCallPriority.Revocation, CancellationToken.None).AsTask()).ToList();
        await WaitUntil(() => revocations.Count(t => t.IsCompletedSuccessfully) == 100 && storm.Denials >= 1, "the storm to fill the window");
        var reads = Enumerable.Range(0, 3).Select(_ => users.AcquireAsync(Credential, PlanetScaleCallPriority.Read, CancellationToken.None).AsTask()).ToList();
        await WaitUntil(() => users.Denials >= 1, "the reads to find the window full");
        var stormDenials = storm.Denials;

        time.Advance(PostgresBudgetCounter.Window);
        await WaitUntil(() => reads.All(t => t.IsCompletedSuccessfully), "the reads' share of the next window");
        await WaitUntil(() => storm.Denials > stormDenials, "the storm to be held at the users' share");

        // 5 % of 100 is owed to users while they wait: the storm stops at 95, the reads take 3 of their 5.
        Assert.Equal(195, revocations.Count(t => t.IsCompletedSuccessfully));
        Assert.Equal(98, await UsedAsync());
    }

    [Fact]
    public async Task An_unreachable_database_falls_back_to_the_limit_divided_by_the_replicas_and_says_so_once()
    {
        var logs = new FakeLogCollector();
        await using var nowhere = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={ClosedPort()};Database=none;Username=postgres;Timeout=5");
        using var budget = new SharedRateBudget(
            new PostgresBudgetCounter(new PostgresDatabase(nowhere, PlanetScaleBudgetSchema.Postgres, time)),
            12, new SharedBudgetOptions { ReplicaCount = 3 }, time, new FakeLogger<SharedRateBudget>(logs));

        var calls = Enumerable.Range(0, 6).Select(_ => budget.AcquireAsync(Credential, PlanetScaleCallPriority.Read, CancellationToken.None).AsTask()).ToList();
        await WaitUntil(() => calls.Count(t => t.IsCompletedSuccessfully) >= 4, "the fallback's 12 / 3 permits");
        Assert.Equal(0, budget.Remaining()[Credential]);
        Assert.Equal(4, calls.Count(t => t.IsCompleted));

        time.Advance(SlidingWindowRateBudget.Window);
        await WaitUntil(() => calls.All(t => t.IsCompletedSuccessfully), "the rest in the next window");
        await budget.AcquireAsync(Credential, PlanetScaleCallPriority.Revocation, CancellationToken.None);

        var warning = Assert.Single(logs.GetSnapshot(), l => l.Level == LogLevel.Warning);
        Assert.Contains("PlanetScale:ReplicaCount", warning.Message, StringComparison.Ordinal);
        Assert.Contains("4 requests per window", warning.Message, StringComparison.Ordinal);
    }

    private SharedRateBudget Replica(int limit)
    {
        var replica = new SharedRateBudget(
            new PostgresBudgetCounter(new PostgresDatabase(dataSource!, PlanetScaleBudgetSchema.Postgres, time)),
            limit, new SharedBudgetOptions(), time, NullLogger.Instance);
        replicas.Add(replica);
        return replica;
    }

    // Each replica's pump has been told "no room" in this window and now sleeps until the next one.
    private async Task EveryReplicaWasTurnedAway(int times) =>
        await WaitUntil(() => replicas.All(r => r.Denials >= times), "every replica to be turned away");

    // A replica whose calls all got permits is never told "no room"; every other one must have been (once more than
    // before), which is what lets the test move the clock on without a replica still about to take a permit. Which
    // replica wins the race for permits depends on scheduling, so the test never assumes it.
    private static async Task ReplicasWithCallsLeftWereTurnedAway(Dictionary<SharedRateBudget, List<Task>> calls, Dictionary<SharedRateBudget, long> before) =>
        await WaitUntil(
            () => calls.Where(c => !c.Value.All(t => t.IsCompleted)).All(c => c.Key.Denials > before.GetValueOrDefault(c.Key)),
            "every replica with calls left to be turned away");

    private async Task<int> UsedAsync()
    {
        await using var command = dataSource!.CreateCommand("SELECT used FROM planetscale_budget WHERE credential_key = @key");
        command.Parameters.AddWithValue("key", Credential);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    // A guard against hanging, not a timing assertion: the conditions follow from the fake clock alone.
    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        for (var i = 0; i < 3000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), $"Gave up waiting for {what}.");
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
