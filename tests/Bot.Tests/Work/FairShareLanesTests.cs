using PscaleBot.Bot.Work;

namespace PscaleBot.Bot.Tests.Work;

/// <summary>The scheduling decision alone, step by step: no threads, no clock.</summary>
public sealed class FairShareLanesTests
{
    [Fact]
    public void Owners_take_turns_so_one_users_200_commands_do_not_starve_anothers_one()
    {
        var lanes = new FairShareLanes<string>(queueLimit: 10_000, maxWaitingPerOwner: 1_000, maxInFlight: 1, maxInFlightPerOwner: 1);
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal(LaneRefusal.None, lanes.TryAdd("alice", $"alice-{i}"));
        }

        Assert.Equal(LaneRefusal.None, lanes.TryAdd("bob", "bob-0"));

        var order = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(lanes.TryTake(out var owner, out var item));
            order.Add(item);
            lanes.Finished(owner);
        }

        Assert.Equal(["alice-0", "bob-0", "alice-1"], order);
    }

    [Fact]
    public void An_owner_at_their_in_flight_cap_waits_while_others_run()
    {
        var lanes = new FairShareLanes<string>(10_000, 1_000, maxInFlight: 10, maxInFlightPerOwner: 2);
        for (var i = 0; i < 5; i++)
        {
            lanes.TryAdd("alice", $"alice-{i}");
        }

        Assert.True(lanes.TryTake(out _, out var first));
        Assert.True(lanes.TryTake(out _, out var second));
        Assert.False(lanes.TryTake(out _, out _));
        Assert.Equal(["alice-0", "alice-1"], new[] { first, second });

        lanes.TryAdd("bob", "bob-0");
        Assert.True(lanes.TryTake(out var owner, out var third));
        Assert.Equal(("bob", "bob-0"), (owner, third));

        lanes.Finished("alice");
        Assert.True(lanes.TryTake(out _, out var fourth));
        Assert.Equal("alice-2", fourth);
    }

    [Fact]
    public void Nothing_starts_past_the_overall_cap()
    {
        var lanes = new FairShareLanes<string>(10_000, 1_000, maxInFlight: 2, maxInFlightPerOwner: 2);
        lanes.TryAdd("a", "a");
        lanes.TryAdd("b", "b");
        lanes.TryAdd("c", "c");
        Assert.True(lanes.TryTake(out _, out _));
        Assert.True(lanes.TryTake(out _, out _));
        Assert.False(lanes.TryTake(out _, out _));
        Assert.Equal(2, lanes.InFlight);
        lanes.Finished("a");
        Assert.True(lanes.TryTake(out var owner, out _));
        Assert.Equal("c", owner);
    }

    [Fact]
    public void The_limits_refuse_the_whole_queue_or_only_the_flooding_owner()
    {
        var lanes = new FairShareLanes<int>(queueLimit: 5, maxWaitingPerOwner: 3, maxInFlight: 1, maxInFlightPerOwner: 1);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(LaneRefusal.None, lanes.TryAdd("alice", i));
        }

        Assert.Equal(LaneRefusal.OwnerFull, lanes.TryAdd("alice", 3));
        Assert.Equal(LaneRefusal.None, lanes.TryAdd("bob", 0));
        Assert.Equal(LaneRefusal.None, lanes.TryAdd("carol", 0));
        Assert.Equal(LaneRefusal.QueueFull, lanes.TryAdd("dave", 0));
    }

    [Fact]
    public void An_idle_owner_leaves_nothing_behind_and_shutdown_takes_everything_waiting()
    {
        var lanes = new FairShareLanes<string>(10_000, 1_000, maxInFlight: 4, maxInFlightPerOwner: 1);
        lanes.TryAdd("alice", "a0");
        Assert.True(lanes.TryTake(out var owner, out _));
        lanes.Finished(owner);
        Assert.Equal(0, lanes.ActiveOwners);

        lanes.TryAdd("alice", "a1");
        lanes.TryAdd("alice", "a2");
        lanes.TryAdd("bob", "b1");
        Assert.True(lanes.TryTake(out _, out _));
        Assert.Equal(["a2", "b1"], lanes.TakeAllWaiting().Order(StringComparer.Ordinal));
        Assert.Equal(0, lanes.Waiting);
        Assert.False(lanes.TryTake(out _, out _));
        Assert.Equal(1, lanes.ActiveOwners);
    }
}
