using Microsoft.Extensions.Time.Testing;
using PscaleBot.Commands.PlanetScale.Budget;

namespace PscaleBot.Commands.Tests.PlanetScale.Budget;

/// <summary>The in-process budget's scheduling, on a fake clock: nothing here waits on real time.</summary>
public sealed class SlidingWindowRateBudgetTests : IDisposable
{
    private const string Credential = "token:svcid0000001";
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
    private SlidingWindowRateBudget? budget;

    [Fact]
    public async Task A_revocation_queued_after_a_flood_of_reads_gets_the_next_permit()
    {
        var limited = Budget(limit: 2);
        await limited.AcquireAsync(Credential, PlanetScaleCallPriority.Read, CancellationToken.None);
        await limited.AcquireAsync(Credential, PlanetScaleCallPriority.Read, CancellationToken.None);
        var reads = Enumerable.Range(0, 200).Select(_ => limited.AcquireAsync(Credential, PlanetScaleCallPriority.Read, CancellationToken.None).AsTask()).ToList();
        var change = limited.AcquireAsync(Credential, PlanetScaleCallPriority.Change, CancellationToken.None).AsTask();
        var revocation = limited.AcquireAsync(Credential, PlanetScaleCallPriority.Revocation, CancellationToken.None).AsTask();
        Assert.False(revocation.IsCompleted);

        time.Advance(SlidingWindowRateBudget.Window);

        await revocation;
        await change;
        Assert.All(reads, read => Assert.False(read.IsCompleted));
    }

    [Fact]
    public async Task No_more_than_the_limit_is_handed_out_in_any_window()
    {
        var limited = Budget(limit: 5);
        var waiters = Enumerable.Range(0, 23).Select(_ => limited.AcquireAsync(Credential, PlanetScaleCallPriority.Read, CancellationToken.None).AsTask()).ToList();
        Assert.Equal(5, waiters.Count(w => w.IsCompleted));

        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(5, waiters.Count(w => w.IsCompleted));

        time.Advance(SlidingWindowRateBudget.Window - TimeSpan.FromSeconds(59));
        await Task.WhenAll(waiters.Take(10));
        Assert.Equal(10, waiters.Count(w => w.IsCompleted));
        Assert.Equal(0, limited.Remaining()[Credential]);
    }

    [Fact]
    public async Task A_pause_after_a_429_holds_back_every_priority_until_it_ends()
    {
        var limited = Budget(limit: 100);
        limited.Pause(Credential, TimeSpan.FromSeconds(30));
        var revocation = limited.AcquireAsync(Credential, PlanetScaleCallPriority.Revocation, CancellationToken.None).AsTask();
        var read = limited.AcquireAsync(Credential, PlanetScaleCallPriority.Read, CancellationToken.None).AsTask();
        Assert.False(limited.IsFreeNow(Credential, PlanetScaleCallPriority.Revocation));

        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(revocation.IsCompleted);
        Assert.False(read.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1));
        await Task.WhenAll(revocation, read);
    }

    [Fact]
    public async Task A_waiter_that_gives_up_leaves_its_permit_to_the_next()
    {
        var limited = Budget(limit: 1);
        await limited.AcquireAsync(Credential, PlanetScaleCallPriority.Read, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var givesUp = limited.AcquireAsync(Credential, PlanetScaleCallPriority.Revocation, cancel.Token).AsTask();
        var next = limited.AcquireAsync(Credential, PlanetScaleCallPriority.Read, CancellationToken.None).AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => givesUp);
        time.Advance(SlidingWindowRateBudget.Window);

        await next;
    }

    [Fact]
    public async Task Credentials_have_budgets_of_their_own()
    {
        var limited = Budget(limit: 1);
        await limited.AcquireAsync(Credential, PlanetScaleCallPriority.Read, CancellationToken.None);

        await limited.AcquireAsync("token:other0000001", PlanetScaleCallPriority.Read, CancellationToken.None);

        Assert.False(limited.IsFreeNow(Credential, PlanetScaleCallPriority.Revocation));
    }

    [Fact]
    public async Task Waiters_are_served_window_after_window_until_none_is_left()
    {
        // Before: the budget re-armed its timer from inside the timer's own callback, which FakeTimeProvider then
        // dropped, so only the first refill ever came and the rest waited forever.
        var limited = Budget(limit: 5);
        var waiters = Enumerable.Range(0, 23).Select(_ => limited.AcquireAsync(Credential, PlanetScaleCallPriority.Read, CancellationToken.None).AsTask()).ToList();

        for (var window = 1; window <= 4; window++)
        {
            time.Advance(SlidingWindowRateBudget.Window);
            Assert.Equal(Math.Min(5 * (window + 1), 23), waiters.Count(w => w.IsCompleted));
        }

        await Task.WhenAll(waiters);
        Assert.Equal(0, limited.Waiting(Credential));
    }

    [Fact]
    public async Task Disposing_the_budget_ends_the_calls_still_waiting_instead_of_leaving_them_hanging()
    {
        var limited = Budget(limit: 1);
        await limited.AcquireAsync(Credential, PlanetScaleCallPriority.Read, CancellationToken.None);
        var waiting = limited.AcquireAsync(Credential, PlanetScaleCallPriority.Revocation, CancellationToken.None).AsTask();

        limited.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting);
    }

    public void Dispose() => budget?.Dispose();

    private SlidingWindowRateBudget Budget(int limit) => budget = new SlidingWindowRateBudget(limit, time);
}
