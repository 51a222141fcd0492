using Microsoft.Extensions.Time.Testing;
using PscaleBot.Bot.Work;

namespace PscaleBot.Bot.Tests.Work;

public sealed class DrainRateTests
{
    [Fact]
    public void The_retry_estimate_follows_the_recent_drain_rate()
    {
        var clock = new FakeTimeProvider();
        var rate = new DrainRate(clock);
        for (var i = 0; i <= 10; i++)
        {
            rate.Finished();
            clock.Advance(TimeSpan.FromMilliseconds(500));
        }

        // 11 finished over 5.5 s: 2 a second. 39 ahead, plus the new one: 20 s; a user sharing with 3 others: 80 s.
        Assert.Equal(TimeSpan.FromSeconds(20), rate.EstimateWait(ahead: 39, shareOf: 1));
        Assert.Equal(TimeSpan.FromSeconds(80), rate.EstimateWait(ahead: 39, shareOf: 4));
        Assert.Equal(TimeSpan.FromSeconds(1), rate.EstimateWait(ahead: 0, shareOf: 1));
        Assert.Equal(DrainRate.Longest, rate.EstimateWait(ahead: 100_000, shareOf: 1));
    }

    [Fact]
    public void Without_recent_completions_the_estimate_is_a_minute()
    {
        var clock = new FakeTimeProvider();
        var rate = new DrainRate(clock);
        Assert.Equal(DrainRate.Unknown, rate.EstimateWait(10, 1));
        rate.Finished();
        clock.Advance(DrainRate.Window + TimeSpan.FromSeconds(1));
        Assert.Equal(DrainRate.Unknown, rate.EstimateWait(10, 1));
    }
}
