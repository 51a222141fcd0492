using PscaleBot.Commands.Access;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Commands.Tests.Access;

public sealed class AccessStoreTests
{
    internal static readonly DateTimeOffset T0 = new(2026, 11, 28, 3, 0, 0, TimeSpan.Zero);

    internal static readonly ApprovalRequirement Rule = new(
        "oncall", ["slack:user:UBOB"], 1, TimeSpan.FromHours(1), TimeSpan.FromHours(4), true, false,
        new Dictionary<ChatPlatform, string>(), TimeSpan.FromMinutes(30), false);

    internal static AccessRequest Request(string id) => new(
        id, AccessRequestKind.Grant, new AccessTarget("acme", "tok", "prod", ["connect_production_branch"]), TimeSpan.FromHours(1), "INC",
        new AccessRequester("slack:user:UALICE", "Alice", ChatPlatform.Slack, "slack:channel:C1"), Rule, T0, T0.AddMinutes(30),
        AccessRequestState.Pending, []);

    internal static AccessGrant Grant(string id, DateTimeOffset ends) => new(
        id, new AccessTarget("acme", "tok", "prod", ["connect_production_branch"]), ["connect_production_branch"],
        new AccessRequester("slack:user:UALICE", "Alice", ChatPlatform.Slack, "slack:channel:C1"), "INC", null, null, [], false, T0, ends);

    [Fact]
    public async Task A_stale_version_loses_the_compare_and_set()
    {
        var store = new InMemoryAccessStore();
        await store.InsertRequestAsync(Request("r-2222"), default);
        var read = (await store.GetRequestAsync("r-2222", default))!;
        var approval = new AccessApproval("slack:user:UBOB", "Bob", T0);
        Assert.True(await store.TryUpdateRequestAsync(read with { Approvals = [approval] }, read.Version, default));
        Assert.False(await store.TryUpdateRequestAsync(read with { Approvals = [] }, read.Version, default));
        var now = (await store.GetRequestAsync("r-2222", default))!;
        Assert.Equal(1, now.Version);
        Assert.Single(now.Approvals);
    }

    [Fact]
    public async Task A_settled_request_never_changes_again()
    {
        var store = new InMemoryAccessStore();
        await store.InsertRequestAsync(Request("r-3333"), default);
        var read = (await store.GetRequestAsync("r-3333", default))!;
        var expired = read.MoveTo(AccessRequestState.Expired, AccessActors.System, T0.AddHours(1));
        Assert.True(await store.TryUpdateRequestAsync(expired, read.Version, default));
        var settled = (await store.GetRequestAsync("r-3333", default))!;
        Assert.False(await store.TryUpdateRequestAsync(settled with { DecisionNote = "x" }, settled.Version, default));
        Assert.False(await store.TrySettleRequestWithGrantAsync(settled with { State = AccessRequestState.Approved }, settled.Version, Grant("g-3333", T0.AddHours(1)), default));
        Assert.Null(await store.GetGrantAsync("g-3333", default));
    }

    [Theory]
    [InlineData(AccessRequestState.Pending, AccessRequestState.Approved, true)]
    [InlineData(AccessRequestState.Pending, AccessRequestState.Expired, true)]
    [InlineData(AccessRequestState.Expired, AccessRequestState.Approved, false)]
    [InlineData(AccessRequestState.Denied, AccessRequestState.Approved, false)]
    [InlineData(AccessRequestState.Approved, AccessRequestState.Pending, false)]
    [InlineData(AccessRequestState.Pending, AccessRequestState.Pending, false)]
    public void Only_a_pending_request_moves_and_never_back(AccessRequestState from, AccessRequestState to, bool allowed)
    {
        Assert.Equal(allowed, AccessRequestTransitions.IsAllowed(from, to));
        var request = Request("r-4444") with { State = from };
        if (allowed)
        {
            Assert.Equal(to, request.MoveTo(to, "x", T0).State);
        }
        else
        {
            Assert.Throws<InvalidOperationException>(() => request.MoveTo(to, "x", T0));
        }
    }

    [Fact]
    public async Task Ending_a_grant_and_handing_over_is_all_or_nothing()
    {
        var store = new InMemoryAccessStore();
        await store.InsertGrantAsync(Grant("g-2222", T0.AddHours(1)), default);
        await store.InsertGrantAsync(Grant("g-3333", T0.AddHours(2)) with { AddedPermissions = [] }, default);
        var ending = (await store.GetGrantAsync("g-2222", default))!;
        var heir = (await store.GetGrantAsync("g-3333", default))!;
        Assert.True(await store.TryUpdateGrantAsync(heir with { ReminderSentAt = T0 }, heir.Version, default));

        var ended = ending with { State = AccessGrantState.Expired, EndedAt = T0.AddHours(1) };
        Assert.False(await store.TryEndGrantAsync(ended, ending.Version, [new GrantUpdate(heir with { AddedPermissions = ["connect_production_branch"] }, heir.Version)], default));
        Assert.True((await store.GetGrantAsync("g-2222", default))!.IsActive);

        heir = (await store.GetGrantAsync("g-3333", default))!;
        Assert.True(await store.TryEndGrantAsync(ended, ending.Version, [new GrantUpdate(heir with { AddedPermissions = ["connect_production_branch"] }, heir.Version)], default));
        Assert.Equal(["connect_production_branch"], (await store.GetGrantAsync("g-3333", default))!.AddedPermissions);
        Assert.Single(await store.ListActiveGrantsAsync(default));
        Assert.Single(await store.ListEndedGrantsAsync(T0, default));
    }

    [Fact]
    public async Task The_revoke_lease_is_exclusive_until_it_lapses()
    {
        var store = new InMemoryAccessStore();
        await store.InsertGrantAsync(Grant("g-5555", T0), default);
        var a = new AccessReplicaIdentity("a", T0);
        var b = new AccessReplicaIdentity("b", T0);
        Assert.NotNull(await store.TryClaimGrantAsync("g-5555", a.Claim(T0.AddMinutes(2)), T0, default));
        Assert.Null(await store.TryClaimGrantAsync("g-5555", b.Claim(T0.AddMinutes(3)), T0.AddMinutes(1), default));
        Assert.NotNull(await store.TryClaimGrantAsync("g-5555", a.Claim(T0.AddMinutes(3)), T0.AddMinutes(1), default));
        Assert.NotNull(await store.TryClaimGrantAsync("g-5555", b.Claim(T0.AddMinutes(5)), T0.AddMinutes(3).AddTicks(1), default));
    }

    [Fact]
    public async Task A_claim_left_by_an_earlier_run_of_the_same_instance_is_taken_over_at_once_and_never_the_other_way()
    {
        var store = new InMemoryAccessStore();
        await store.InsertGrantAsync(Grant("g-6666", T0), default);
        var dead = new AccessReplicaIdentity("revoker:host", T0);
        var restarted = new AccessReplicaIdentity("revoker:host", T0.AddSeconds(20));
        Assert.NotNull(await store.TryClaimGrantAsync("g-6666", dead.Claim(T0.AddMinutes(2)), T0, default));

        // Another instance still waits for the lease; the restarted run of the same instance does not.
        Assert.Null(await store.TryClaimGrantAsync("g-6666", new AccessReplicaIdentity("revoker:other", T0).Claim(T0.AddMinutes(3)), T0.AddSeconds(20), default));
        var taken = await store.TryClaimGrantAsync("g-6666", restarted.Claim(T0.AddMinutes(3)), T0.AddSeconds(20), default);
        Assert.Equal(restarted.Claim(T0.AddMinutes(3)), taken!.Claim);

        // The earlier run never takes a later run's claim back, and a claim without a start time is a plain lease.
        Assert.Null(await store.TryClaimGrantAsync("g-6666", dead.Claim(T0.AddMinutes(4)), T0.AddSeconds(30), default));
        var legacy = new RevokeClaim("revoker:host", null, T0.AddMinutes(5));
        Assert.False(legacy.Excludes(legacy, T0.AddMinutes(6)));
        Assert.True(legacy.Excludes(restarted.Claim(T0.AddMinutes(6)), T0.AddMinutes(4)));
    }
}
