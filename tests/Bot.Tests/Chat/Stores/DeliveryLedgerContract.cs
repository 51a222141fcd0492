using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using PscaleBot.Bot.Chat;
using PscaleBot.Bot.Chat.Stores;
using PscaleBot.TestSupport.Postgres;

namespace PscaleBot.Bot.Tests.Chat.Stores;

/// <summary>What every <see cref="IDeliveryLedger"/> engine must do; one subclass per engine.</summary>
public abstract class DeliveryLedgerContract : IAsyncLifetime
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider time = new(DateTimeOffset.Parse("2026-12-03T10:00:00Z", CultureInfo.InvariantCulture));
    private IStoreEngine engine = null!;

    protected abstract Task<IStoreEngine> StartEngineAsync();

    public async Task InitializeAsync() => engine = await StartEngineAsync();

    public async Task DisposeAsync() => await engine.DisposeAsync();

    private SqlDeliveryLedger Ledger() => new(engine.Open(DeliveryLedgerSchema.Schemas), time);

    [Fact]
    public async Task A_key_is_recorded_once_within_its_window()
    {
        var ledger = Ledger();
        Assert.True(await ledger.TryRecordAsync("slack:envelope:1", Window, CancellationToken.None));
        time.Advance(Window - TimeSpan.FromSeconds(1));
        Assert.False(await ledger.TryRecordAsync("slack:envelope:1", Window, CancellationToken.None));
    }

    [Fact]
    public async Task A_key_is_new_again_once_its_window_has_passed()
    {
        var ledger = Ledger();
        Assert.True(await ledger.TryRecordAsync("teams:message|c|1", Window, CancellationToken.None));
        time.Advance(Window);
        Assert.True(await ledger.TryRecordAsync("teams:message|c|1", Window, CancellationToken.None));
    }

    [Fact]
    public async Task A_repeat_does_not_extend_the_first_window()
    {
        var ledger = Ledger();
        await ledger.TryRecordAsync("k", Window, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.False(await ledger.TryRecordAsync("k", Window, CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(await ledger.TryRecordAsync("k", Window, CancellationToken.None));
    }

    [Fact]
    public async Task Platforms_and_kinds_do_not_collide()
    {
        var ledger = Ledger();
        Assert.True(await ledger.TryRecordAsync("slack:action:1", Window, CancellationToken.None));
        Assert.True(await ledger.TryRecordAsync("teams:action:1", Window, CancellationToken.None));
    }

    [Fact]
    public async Task A_forgotten_key_can_be_recorded_again_at_once()
    {
        var ledger = Ledger();
        await ledger.TryRecordAsync("k", Window, CancellationToken.None);
        await ledger.ForgetAsync("k", CancellationToken.None);
        Assert.True(await ledger.TryRecordAsync("k", Window, CancellationToken.None));
    }

    [Fact]
    public async Task A_key_recorded_by_one_replica_is_refused_by_another_and_by_the_next_run()
    {
        Assert.True(await Ledger().TryRecordAsync("slack:command:T1:trigger-1:list", Window, CancellationToken.None));

        Assert.False(await Ledger().TryRecordAsync("slack:command:T1:trigger-1:list", Window, CancellationToken.None));
    }

    [Fact]
    public async Task The_same_key_from_many_callers_on_two_replicas_is_recorded_exactly_once()
    {
        var replicas = new[] { Ledger(), Ledger() };

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Task.Run(async () => await replicas[i % 2].TryRecordAsync("teams:message|conv|activity-7", Window, CancellationToken.None))));

        Assert.Single(results, r => r);
    }

    [Fact]
    public async Task An_expired_key_re_recorded_by_many_callers_on_two_replicas_is_recorded_exactly_once()
    {
        var replicas = new[] { Ledger(), Ledger() };
        Assert.True(await replicas[0].TryRecordAsync("slack:envelope:e-1", Window, CancellationToken.None));
        time.Advance(Window + TimeSpan.FromSeconds(1));

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Task.Run(async () => await replicas[i % 2].TryRecordAsync("slack:envelope:e-1", Window, CancellationToken.None))));

        Assert.Single(results, r => r);
    }

    [Fact]
    public async Task A_burst_of_recordings_is_group_committed_and_each_key_is_still_recorded_exactly_once()
    {
        var ledger = Ledger();
        var keys = Enumerable.Range(0, 100).Select(i => $"slack:command:T1:trigger-{i}:list").ToList();

        // Every key twice, all at once, as a burst of acknowledgements with re-deliveries among them.
        var calls = keys.Concat(keys).Select(k => (Key: k, Recorded: ledger.TryRecordAsync(k, Window, CancellationToken.None).AsTask())).ToList();
        await Task.WhenAll(calls.Select(c => c.Recorded));

        Assert.All(keys, k => Assert.Equal(1, calls.Count(c => c.Key == k && c.Recorded.Result)));
        Assert.InRange(ledger.RecordingBatches, 1, calls.Count - 1); // shared transactions, not one each
        Assert.False(await Ledger().TryRecordAsync(keys[42], Window, CancellationToken.None)); // committed: another replica sees it
    }

    [Fact]
    public async Task Expired_keys_are_purged_and_live_ones_kept()
    {
        var ledger = Ledger();
        await ledger.TryRecordAsync("live", TimeSpan.FromHours(1), CancellationToken.None);
        await ledger.TryRecordAsync("old:1", TimeSpan.FromSeconds(1), CancellationToken.None);
        await ledger.TryRecordAsync("old:2", TimeSpan.FromSeconds(1), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(2, await ledger.PurgeExpiredAsync(CancellationToken.None));
        Assert.False(await ledger.TryRecordAsync("live", TimeSpan.FromHours(1), CancellationToken.None));
    }

    [Fact]
    public async Task Recording_purges_expired_keys_once_the_purge_interval_has_passed()
    {
        var ledger = Ledger();
        await ledger.TryRecordAsync("old", TimeSpan.FromSeconds(1), CancellationToken.None);
        time.Advance(PurgeSchedule.Interval);

        await ledger.TryRecordAsync("new", Window, CancellationToken.None);

        Assert.Equal(0, await ledger.PurgeExpiredAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_long_key_is_stored_as_a_digest_without_its_text()
    {
        var ledger = Ledger();
        var text = "slack:command:T1:trigger:" + new string('x', 10_000) + " mysecretword";

        Assert.True(await ledger.TryRecordAsync(text, Window, CancellationToken.None));
        Assert.False(await ledger.TryRecordAsync(text, Window, CancellationToken.None));

        await using var connection = await engine.Open(DeliveryLedgerSchema.Schemas).OpenAsync(CancellationToken.None);
        await using var command = StoreCommand.Create(connection, "SELECT key_digest FROM delivery_keys");
        var stored = (string)(await command.ExecuteScalarAsync())!;
        Assert.Equal(DeliveryKey.Digest(text), stored);
        Assert.DoesNotContain("mysecretword", stored, StringComparison.Ordinal);
    }
}

public sealed class SqliteDeliveryLedgerTests : DeliveryLedgerContract
{
    protected override Task<IStoreEngine> StartEngineAsync() => Task.FromResult<IStoreEngine>(new SqliteStoreEngine());
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresDeliveryLedgerTests(PostgresCluster cluster) : DeliveryLedgerContract
{
    protected override Task<IStoreEngine> StartEngineAsync() => PostgresStoreEngine.StartAsync(cluster, "ledger");
}
