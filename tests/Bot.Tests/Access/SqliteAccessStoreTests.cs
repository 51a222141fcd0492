using Microsoft.Data.Sqlite;
using PscaleBot.Bot.Access;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Results;

namespace PscaleBot.Bot.Tests.Access;

public sealed class SqliteAccessStoreTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "pscale-access-" + Guid.NewGuid().ToString("N"));

    private string DbPath => Path.Combine(directory, "nested", "access.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Two_simultaneous_approvals_from_two_replicas_make_exactly_one_grant()
    {
        for (var round = 0; round < 10; round++)
        {
            var replicaA = new AccessWorld(new SqliteAccessStore(DbPath));
            var replicaB = replicaA.OtherReplica(new SqliteAccessStore(DbPath));
            replicaA.Api.SetByHand(AccessWorld.Token, "prod", "connect_production_branch", held: false);
            var addsBefore = replicaA.Api.AddCalls;
            var id = (await replicaA.RequestAsync(AccessWorld.Alice)).Request!.Id;

            var outcomes = await Task.WhenAll(
                Task.Run(() => replicaA.ApproveAsync(id, AccessWorld.Bob)),
                Task.Run(() => replicaB.ApproveAsync(id, AccessWorld.Carol)));

            Assert.Equal(1, replicaA.Api.AddCalls - addsBefore);
            Assert.Single(outcomes, o => o.Grant is not null);
            Assert.All(outcomes, o => Assert.True(o.Succeeded, o.Result.ToString()));
            var request = (await replicaA.Store.GetRequestAsync(id, default))!;
            Assert.Equal(AccessRequestState.Approved, request.State);
            Assert.Single(request.Approvals);
            Assert.Single(await replicaA.Store.ListActiveGrantsAsync(default));
            Assert.True(replicaA.Holds());

            // End this round's grant so the next round starts from the same token state.
            await replicaA.Grants.RevokeAsync(request.GrantId!, AccessWorld.Alice, AccessWorld.OnCallChannel, default);
            replicaA.Time.Advance(TimeSpan.FromHours(1));
        }
    }

    [Fact]
    public async Task Simultaneous_re_deliveries_of_one_approval_grant_once()
    {
        var world = new AccessWorld(new SqliteAccessStore(DbPath));
        var id = (await world.RequestAsync(AccessWorld.Alice)).Request!.Id;
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => world.ApproveAsync(id, AccessWorld.Bob))));
        Assert.Equal(1, world.Api.AddCalls);
        Assert.Single(outcomes, o => o.Grant is not null);
        Assert.Single(await world.Store.ListActiveGrantsAsync(default));
        Assert.Single(world.Audit.Transitions(AccessTransitions.Granted));
    }

    [Fact]
    public async Task Two_simultaneous_approvals_under_the_two_person_rule_both_count_and_grant_once()
    {
        var world = new AccessWorld(new SqliteAccessStore(DbPath));
        world.Policy.Requirement = AccessWorld.DefaultRequirement with { RequiredApprovals = 2 };
        var id = (await world.RequestAsync(AccessWorld.Alice)).Request!.Id;
        var outcomes = await Task.WhenAll(
            Task.Run(() => world.ApproveAsync(id, AccessWorld.Bob)),
            Task.Run(() => world.ApproveAsync(id, AccessWorld.Carol)));
        Assert.All(outcomes, o => Assert.IsType<MessageResult>(o.Result));
        var request = (await world.Store.GetRequestAsync(id, default))!;
        Assert.Equal(AccessRequestState.Approved, request.State);
        Assert.Equal(2, request.Approvals.Select(a => a.ApproverId).Distinct().Count());
        Assert.Equal(1, world.Api.AddCalls);
        Assert.True(world.Holds());
    }

    [Fact]
    public async Task After_a_restart_grants_that_fell_due_during_the_downtime_are_revoked_on_the_first_sweep()
    {
        var before = new AccessWorld(new SqliteAccessStore(DbPath));
        var allowed = (await before.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(1), "read_deploy_request")).Grant!;
        var requestId = (await before.RequestAsync(AccessWorld.Alice, TimeSpan.FromHours(2))).Request!.Id;
        var approved = (await before.ApproveAsync(requestId, AccessWorld.Bob)).Grant!;
        var stillPending = (await before.RequestAsync(AccessWorld.Mallory, TimeSpan.FromHours(1), "later", false, "read_comment")).Request!;
        var lasting = (await before.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(8), "create_comment")).Grant!;
        Assert.True(before.Holds("read_deploy_request") && before.Holds() && before.Holds("create_comment"));

        // The bot is down for three hours.
        SqliteConnection.ClearAllPools();
        before.Time.Advance(TimeSpan.FromHours(3));
        var after = before.Restart(new SqliteAccessStore(DbPath));
        var next = await after.SweepAsync();

        Assert.False(after.Holds("read_deploy_request"));
        Assert.False(after.Holds());
        Assert.True(after.Holds("read_branch"));
        Assert.True(after.Holds("create_comment"));
        Assert.Equal(AccessGrantState.Expired, (await after.Store.GetGrantAsync(allowed.Id, default))!.State);
        Assert.Equal(AccessGrantState.Expired, (await after.Store.GetGrantAsync(approved.Id, default))!.State);
        Assert.Equal(AccessRequestState.Expired, (await after.Store.GetRequestAsync(stillPending.Id, default))!.State);
        Assert.Equal(lasting.EndsAt - after.Settings.ReminderLeadTime, next);
    }

    [Fact]
    public async Task The_revoke_lease_keeps_a_second_replica_off_a_grant_until_it_lapses()
    {
        var store = new SqliteAccessStore(DbPath);
        var world = new AccessWorld(store);
        var grant = (await world.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(1))).Grant!;
        var now = world.Time.GetUtcNow();
        var other = new SqliteAccessStore(DbPath);

        var a = new AccessReplicaIdentity("replica-a", now);
        var b = new AccessReplicaIdentity("replica-b", now);

        var claimed = await store.TryClaimGrantAsync(grant.Id, a.Claim(now.AddMinutes(2)), now, default);
        Assert.NotNull(claimed);
        Assert.Equal(grant.Version + 1, claimed.Version);
        Assert.Equal(a.Claim(now.AddMinutes(2)), claimed.Claim);
        Assert.Null(await other.TryClaimGrantAsync(grant.Id, b.Claim(now.AddMinutes(3)), now.AddMinutes(1), default));
        Assert.NotNull(await store.TryClaimGrantAsync(grant.Id, a.Claim(now.AddMinutes(3)), now.AddMinutes(1), default));
        Assert.NotNull(await other.TryClaimGrantAsync(grant.Id, b.Claim(now.AddMinutes(6)), now.AddMinutes(4), default));
        Assert.Equal("replica-b", (await store.GetGrantAsync(grant.Id, default))!.Claim!.InstanceId);
    }

    [Fact]
    public async Task A_sweeper_leaves_a_grant_another_replica_holds_the_lease_on()
    {
        var world = new AccessWorld(new SqliteAccessStore(DbPath));
        var grant = (await world.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(1))).Grant!;
        world.Time.Advance(TimeSpan.FromHours(1));
        var now = world.Time.GetUtcNow();
        Assert.NotNull(await world.Store.TryClaimGrantAsync(grant.Id, new AccessReplicaIdentity("another-replica", now).Claim(now.AddMinutes(2)), now, default));

        var next = await world.SweepAsync();
        Assert.True(world.Holds());
        Assert.Equal(now.AddMinutes(2), next);

        world.Time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromMilliseconds(1));
        await world.SweepAsync();
        Assert.False(world.Holds());
    }

    [Fact]
    public async Task Stale_versions_are_refused_and_settled_requests_never_change()
    {
        var store = new SqliteAccessStore(DbPath);
        var world = new AccessWorld(store);
        var request = (await world.RequestAsync(AccessWorld.Alice)).Request!;
        var approval = new AccessApproval("slack:user:UBOB", "Bob", world.Time.GetUtcNow());

        Assert.True(await store.TryUpdateRequestAsync(request with { Approvals = [approval] }, request.Version, default));
        Assert.False(await store.TryUpdateRequestAsync(request with { Approvals = [] }, request.Version, default));
        var stored = (await store.GetRequestAsync(request.Id, default))!;
        Assert.Equal(request.Version + 1, stored.Version);

        var denied = stored.MoveTo(AccessRequestState.Denied, "slack:user:UCAROL", world.Time.GetUtcNow());
        Assert.True(await store.TryUpdateRequestAsync(denied, stored.Version, default));
        var settled = (await store.GetRequestAsync(request.Id, default))!;
        Assert.False(await store.TryUpdateRequestAsync(settled with { DecisionNote = "changed" }, settled.Version, default));
        Assert.Equal(AccessRequestState.Denied, (await store.GetRequestAsync(request.Id, default))!.State);
    }

    [Fact]
    public async Task Everything_a_request_holds_survives_the_round_trip()
    {
        var store = new SqliteAccessStore(DbPath);
        var world = new AccessWorld(store);
        var request = (await world.RequestAsync(AccessWorld.Alice, TimeSpan.FromMinutes(90))).Request!;
        var read = (await new SqliteAccessStore(DbPath).GetRequestAsync(request.Id, default))!;
        Assert.Equal(request.Target.Permissions, read.Target.Permissions);
        Assert.Equal(request.Target with { Permissions = read.Target.Permissions }, read.Target);
        Assert.Equal(request.Requirement.RequestChannels[ChatPlatform.Slack], read.Requirement.RequestChannels[ChatPlatform.Slack]);
        Assert.Equal(request.Requirement.Approvers, read.Requirement.Approvers);
        Assert.Equal(request.Requirement.MaxDuration, read.Requirement.MaxDuration);
        Assert.Equal(request.Duration, read.Duration);
        Assert.Equal(request.ExpiresAt, read.ExpiresAt);
        Assert.Equal(request.Requester, read.Requester);
        Assert.Equal(request.Reason, read.Reason);
    }
}
