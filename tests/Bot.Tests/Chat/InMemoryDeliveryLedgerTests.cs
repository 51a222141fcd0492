using Microsoft.Extensions.Time.Testing;
using PscaleBot.Bot.Chat;

namespace PscaleBot.Bot.Tests.Chat;

public sealed class InMemoryDeliveryLedgerTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider time = new(DateTimeOffset.Parse("2026-12-03T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task A_key_is_recorded_once_within_its_window()
    {
        var ledger = new InMemoryDeliveryLedger(time);
        Assert.True(await ledger.TryRecordAsync("slack:envelope:1", Window, CancellationToken.None));
        time.Advance(Window - TimeSpan.FromSeconds(1));
        Assert.False(await ledger.TryRecordAsync("slack:envelope:1", Window, CancellationToken.None));
    }

    [Fact]
    public async Task A_key_is_new_again_once_its_window_has_passed()
    {
        var ledger = new InMemoryDeliveryLedger(time);
        Assert.True(await ledger.TryRecordAsync("teams:message|c|1", Window, CancellationToken.None));
        time.Advance(Window);
        Assert.True(await ledger.TryRecordAsync("teams:message|c|1", Window, CancellationToken.None));
    }

    [Fact]
    public async Task A_repeat_does_not_extend_the_first_window()
    {
        var ledger = new InMemoryDeliveryLedger(time);
        await ledger.TryRecordAsync("k", Window, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.False(await ledger.TryRecordAsync("k", Window, CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(await ledger.TryRecordAsync("k", Window, CancellationToken.None));
    }

    [Fact]
    public async Task Platforms_and_kinds_do_not_collide()
    {
        var ledger = new InMemoryDeliveryLedger(time);
        Assert.True(await ledger.TryRecordAsync("slack:action:1", Window, CancellationToken.None));
        Assert.True(await ledger.TryRecordAsync("teams:action:1", Window, CancellationToken.None));
    }

    [Fact]
    public async Task A_forgotten_key_can_be_recorded_again_at_once()
    {
        var ledger = new InMemoryDeliveryLedger(time);
        await ledger.TryRecordAsync("k", Window, CancellationToken.None);
        await ledger.ForgetAsync("k", CancellationToken.None);
        Assert.True(await ledger.TryRecordAsync("k", Window, CancellationToken.None));
    }

    [Fact]
    public async Task Expired_keys_are_swept_without_losing_live_ones()
    {
        var ledger = new InMemoryDeliveryLedger(time);
        await ledger.TryRecordAsync("live", TimeSpan.FromHours(1), CancellationToken.None);
        for (var i = 0; i < 600; i++)
        {
            await ledger.TryRecordAsync($"old:{i}", TimeSpan.FromSeconds(1), CancellationToken.None);
            time.Advance(TimeSpan.FromSeconds(2));
        }

        Assert.False(await ledger.TryRecordAsync("live", TimeSpan.FromHours(1), CancellationToken.None));
    }
}
