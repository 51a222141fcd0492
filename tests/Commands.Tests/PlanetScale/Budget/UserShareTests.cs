using Microsoft.Extensions.Time.Testing;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.PlanetScale.Budget;

namespace PscaleBot.Commands.Tests.PlanetScale.Budget;

/// <summary>
/// Users' share of the budget during a revocation storm, on a fake clock: revocations come first, but a user's command
/// is not starved behind a thousand of them. Nothing here waits on real time.
/// </summary>
public sealed class UserShareTests : IDisposable
{
    private const string Credential = "token:svcid0000001";
    private const int Limit = 600;
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
    private SlidingWindowRateBudget? budget;

    [Fact]
    public async Task With_a_thousand_revocations_queued_a_read_still_gets_a_permit_within_one_window()
    {
        // Before: permits went strictly by priority, so the read waited for all 1,000 revocations (three windows).
        var storm = Budget(PlanetScaleOptions.DefaultUserSharePercent);
        var sent = Acquire(storm, Limit, PlanetScaleCallPriority.Revocation);
        await Task.WhenAll(sent);
        var queued = Acquire(storm, 1_000, PlanetScaleCallPriority.Revocation);
        time.Advance(TimeSpan.FromSeconds(30));
        var read = Acquire(storm, 1, PlanetScaleCallPriority.Read).Single();
        var change = Acquire(storm, 1, PlanetScaleCallPriority.Change).Single();

        time.Advance(SlidingWindowRateBudget.Window - TimeSpan.FromSeconds(30));

        await Task.WhenAll(read, change);
        Assert.Equal(Limit - 2, queued.Count(r => r.IsCompleted));
    }

    [Fact]
    public async Task Revocations_get_at_least_95_percent_of_every_window_however_many_reads_wait()
    {
        var storm = Budget(PlanetScaleOptions.DefaultUserSharePercent);
        await Task.WhenAll(Acquire(storm, Limit, PlanetScaleCallPriority.Revocation));
        var revocations = Acquire(storm, 2_000, PlanetScaleCallPriority.Revocation);
        var reads = Acquire(storm, 500, PlanetScaleCallPriority.Read);

        for (var window = 1; window <= 3; window++)
        {
            time.Advance(SlidingWindowRateBudget.Window);
            Assert.Equal(window * Limit, revocations.Count(r => r.IsCompleted) + reads.Count(r => r.IsCompleted));
            Assert.Equal(window * 570, revocations.Count(r => r.IsCompleted));
            Assert.Equal(window * 30, reads.Count(r => r.IsCompleted));
        }

        // Once the storm is over the reads get everything that is left.
        time.Advance(SlidingWindowRateBudget.Window);
        time.Advance(SlidingWindowRateBudget.Window);
        await Task.WhenAll(revocations);
        await Task.WhenAll(reads);
    }

    [Fact]
    public async Task The_share_is_not_a_reserve_a_storm_with_no_user_waiting_gets_the_whole_window()
    {
        var storm = Budget(PlanetScaleOptions.DefaultUserSharePercent);
        var revocations = Acquire(storm, 1_000, PlanetScaleCallPriority.Revocation);

        Assert.Equal(Limit, revocations.Count(r => r.IsCompleted));
        await Task.WhenAll(revocations.Take(Limit));
    }

    [Fact]
    public void Users_get_their_share_only_while_their_share_of_the_window_is_unused()
    {
        var storm = Budget(PlanetScaleOptions.DefaultUserSharePercent);
        Acquire(storm, Limit, PlanetScaleCallPriority.Revocation);
        var queued = Acquire(storm, 1_000, PlanetScaleCallPriority.Revocation);
        var reads = Acquire(storm, 40, PlanetScaleCallPriority.Read);

        time.Advance(SlidingWindowRateBudget.Window);

        Assert.Equal(30, reads.Count(r => r.IsCompleted));
        Assert.Equal(570, queued.Count(r => r.IsCompleted));
    }

    [Fact]
    public void A_share_of_zero_serves_revocations_strictly_first()
    {
        var strict = Budget(0);
        Acquire(strict, Limit, PlanetScaleCallPriority.Revocation);
        Acquire(strict, 1_000, PlanetScaleCallPriority.Revocation);
        var read = Acquire(strict, 1, PlanetScaleCallPriority.Read).Single();

        time.Advance(SlidingWindowRateBudget.Window);

        Assert.False(read.IsCompleted);
    }

    public void Dispose() => budget?.Dispose();

    private SlidingWindowRateBudget Budget(int userSharePercent) =>
        budget = SlidingWindowRateBudget.For(new PlanetScaleOptions { RequestsPerMinute = Limit, UserSharePercent = userSharePercent }, time);

    private static List<Task> Acquire(SlidingWindowRateBudget on, int count, PlanetScaleCallPriority priority) =>
        [.. Enumerable.Range(0, count).Select(_ => on.AcquireAsync(Credential, priority, CancellationToken.None).AsTask())];
}
