using Microsoft.Data.Sqlite;
using Npgsql;
using PscaleBot.Bot.Access;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Results;
using PscaleBot.TestSupport.Postgres;

namespace PscaleBot.Bot.Tests.Access;

/// <summary>
/// What every durable <see cref="IAccessStore"/> promises to replicas sharing it, run against each engine: each
/// <see cref="OpenStore"/> is another process on the same database (SQLite file, or PostgreSQL with its own pool).
/// The workflow's own behaviour over each store is <see cref="AccessWorkflowTests"/>.
/// </summary>
public abstract class AccessStoreContractTests : IAsyncLifetime
{
    /// <summary>A new store instance on this test's database.</summary>
    protected abstract IAccessStore OpenStore();

    /// <summary>Drops pooled connections, as a process exit would.</summary>
    protected virtual void ReleaseConnections()
    {
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Two_simultaneous_approvals_from_two_replicas_make_exactly_one_grant()
    {
        for (var round = 0; round < 10; round++)
        {
            var replicaA = new AccessWorld(OpenStore());
            var replicaB = replicaA.OtherReplica(OpenStore());
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
        var world = new AccessWorld(OpenStore());
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
        var world = new AccessWorld(OpenStore());
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
        var before = new AccessWorld(OpenStore());
        var allowed = (await before.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(1), "read_deploy_request")).Grant!;
        var requestId = (await before.RequestAsync(AccessWorld.Alice, TimeSpan.FromHours(2))).Request!.Id;
        var approved = (await before.ApproveAsync(requestId, AccessWorld.Bob)).Grant!;
        var stillPending = (await before.RequestAsync(AccessWorld.Mallory, TimeSpan.FromHours(1), "later", false, "read_comment")).Request!;
        var lasting = (await before.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(8), "create_comment")).Grant!;
        Assert.True(before.Holds("read_deploy_request") && before.Holds() && before.Holds("create_comment"));

        // The bot is down for three hours.
        ReleaseConnections();
        before.Time.Advance(TimeSpan.FromHours(3));
        var after = before.Restart(OpenStore());
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
        var store = OpenStore();
        var world = new AccessWorld(store);
        var grant = (await world.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(1))).Grant!;
        var now = world.Time.GetUtcNow();
        var other = OpenStore();

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
        var world = new AccessWorld(OpenStore());
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
        var store = OpenStore();
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
        var store = OpenStore();
        var world = new AccessWorld(store);
        var request = (await world.RequestAsync(AccessWorld.Alice, TimeSpan.FromMinutes(90))).Request!;
        var read = (await OpenStore().GetRequestAsync(request.Id, default))!;
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

    [Fact]
    public async Task A_restart_takes_over_at_once_the_claim_its_dead_predecessor_left_mid_revoke()
    {
        var before = new AccessWorld(OpenStore());
        var grant = (await before.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(1))).Grant!;
        before.Time.Advance(TimeSpan.FromHours(1));
        var due = before.Time.GetUtcNow();

        // The sweep claims the grant and is killed before the DELETE returns: the claim stays behind.
        Assert.NotNull(await before.Store.TryClaimGrantAsync(grant.Id, before.Replica.Claim(due + before.Settings.RevokeClaimDuration), due, default));

        // Restarted 20 s later, well inside the dead run's two-minute lease.
        before.Time.Advance(TimeSpan.FromSeconds(20));
        var after = before.Restart(OpenStore());
        var revokedAt = after.Time.GetUtcNow();
        await after.SweepAsync();

        Assert.False(after.Holds());
        var ended = (await after.Store.GetGrantAsync(grant.Id, default))!;
        Assert.Equal(AccessGrantState.Expired, ended.State);
        Assert.Equal(revokedAt, ended.EndedAt);
        Assert.Null(ended.Claim);
        var audit = Assert.Single(after.Audit.Transitions(AccessTransitions.Expired));
        Assert.Equal(revokedAt, audit.Time);
        Assert.Contains($"permission removed {AccessText.Instant(revokedAt)}", audit.Command, StringComparison.Ordinal);
        Assert.Contains($"due {AccessText.Time(due)}", audit.Command, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slow_revoke_ends_the_grant_when_PlanetScale_answered_not_when_it_was_due()
    {
        var world = new AccessWorld(OpenStore());
        var grant = (await world.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(1))).Grant!;
        world.Time.Advance(TimeSpan.FromHours(1));
        var due = world.Time.GetUtcNow();
        world.Api.DuringDelete = () => world.Time.Advance(TimeSpan.FromSeconds(45));

        await world.SweepAsync();

        var ended = (await world.Store.GetGrantAsync(grant.Id, default))!;
        Assert.Equal(due.AddSeconds(45), ended.EndedAt);
        var audit = Assert.Single(world.Audit.Transitions(AccessTransitions.Expired));
        Assert.Contains($"permission removed {AccessText.Instant(due.AddSeconds(45))}", audit.Command, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replica_stopped_mid_revoke_leaves_the_grant_to_another_replica_at_once()
    {
        var stopping = new AccessWorld(OpenStore());
        var grant = (await stopping.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(1))).Grant!;
        stopping.Time.Advance(TimeSpan.FromHours(1));
        var deleting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        stopping.Api.BeforeDelete = async cancellationToken =>
        {
            deleting.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        };

        // SIGTERM while PlanetScale has not answered the DELETE, and the drain ends before it does.
        using var stop = new CancellationTokenSource();
        using var drainOver = new CancellationTokenSource();
        var sweep = stopping.Sweeper.SweepAsync(stop.Token, drainOver.Token);
        await deleting.Task;
        await stop.CancelAsync();
        await drainOver.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sweep);
        stopping.Api.BeforeDelete = null;

        Assert.Null((await stopping.Store.GetGrantAsync(grant.Id, default))!.Claim);
        var other = stopping.OtherReplica(OpenStore());
        await other.SweepAsync(); // at the same instant: well inside the stopped replica's lease
        Assert.False(other.Holds());
        Assert.Equal(AccessGrantState.Expired, (await other.Store.GetGrantAsync(grant.Id, default))!.State);
        Assert.Single(other.Audit.Transitions(AccessTransitions.Expired));
    }

    [Fact]
    public async Task A_stopping_replica_finishes_the_revoke_under_way_and_claims_nothing_more()
    {
        var stopping = new AccessWorld(OpenStore());
        var first = (await stopping.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(1), "read_deploy_request")).Grant!;
        var second = (await stopping.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromMinutes(90), "create_comment")).Grant!;
        stopping.Time.Advance(TimeSpan.FromHours(2));
        var deleting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        stopping.Api.BeforeDelete = async cancellationToken =>
        {
            deleting.TrySetResult();
            await answer.Task.WaitAsync(cancellationToken);
        };

        // SIGTERM while the first DELETE is under way; PlanetScale answers within the drain.
        using var stop = new CancellationTokenSource();
        using var drainOver = new CancellationTokenSource();
        var sweep = stopping.Sweeper.SweepAsync(stop.Token, drainOver.Token);
        await deleting.Task;
        await stop.CancelAsync();
        answer.SetResult();
        Assert.Null(await sweep);

        Assert.Equal(AccessGrantState.Expired, (await stopping.Store.GetGrantAsync(first.Id, default))!.State);
        Assert.False(stopping.Holds("read_deploy_request"));
        var left = (await stopping.Store.GetGrantAsync(second.Id, default))!;
        Assert.Equal(AccessGrantState.Active, left.State);
        Assert.Null(left.Claim);

        var other = stopping.OtherReplica(OpenStore());
        await other.SweepAsync();
        Assert.False(other.Holds("create_comment"));
        Assert.Equal(AccessGrantState.Expired, (await other.Store.GetGrantAsync(second.Id, default))!.State);
    }

    [Fact]
    public async Task Of_many_replicas_claiming_one_due_grant_at_once_exactly_one_wins()
    {
        const int Replicas = 12;
        var world = new AccessWorld(OpenStore());
        for (var round = 0; round < 5; round++)
        {
            var grant = (await world.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(1), $"perm_{round}")).Grant!;
            world.Time.Advance(TimeSpan.FromHours(1));
            var now = world.Time.GetUtcNow();
            var stores = Enumerable.Range(0, Replicas).Select(_ => OpenStore()).ToList();
            using var go = new ManualResetEventSlim();

            var claims = stores.Select((store, i) => Task.Run(async () =>
            {
                go.Wait();
                return await store.TryClaimGrantAsync(grant.Id, new AccessReplicaIdentity($"replica-{i}", now).Claim(now.AddMinutes(2)), now, default);
            })).ToList();
            go.Set();
            var won = (await Task.WhenAll(claims)).Where(c => c is not null).ToList();

            var winner = Assert.Single(won)!;
            Assert.Equal(grant.Version + 1, winner.Version);
            Assert.Equal(winner.Claim, (await world.Store.GetGrantAsync(grant.Id, default))!.Claim);
        }
    }

    [Fact]
    public async Task Of_many_replicas_settling_one_request_at_once_exactly_one_commits_its_grant()
    {
        const int Replicas = 12;
        var world = new AccessWorld(OpenStore());
        var template = (await world.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(1))).Grant!;
        var request = (await world.RequestAsync(AccessWorld.Alice)).Request!;
        var approved = request.MoveTo(AccessRequestState.Approved, "slack:user:UBOB", world.Time.GetUtcNow());
        var stores = Enumerable.Range(0, Replicas).Select(_ => OpenStore()).ToList();
        using var go = new ManualResetEventSlim();

        var settles = stores.Select((store, i) => Task.Run(async () =>
        {
            go.Wait();
            return await store.TrySettleRequestWithGrantAsync(approved, request.Version, template with { Id = $"g-race{i}", Version = 0 }, default);
        })).ToList();
        go.Set();
        var results = await Task.WhenAll(settles);

        Assert.Single(results, settled => settled);
        var grants = (await world.Store.ListActiveGrantsAsync(default)).Where(g => g.Id.StartsWith("g-race", StringComparison.Ordinal)).ToList();
        Assert.Single(grants);
        Assert.Equal($"g-race{Array.IndexOf(results, true)}", grants[0].Id);
        var stored = (await world.Store.GetRequestAsync(request.Id, default))!;
        Assert.Equal(AccessRequestState.Approved, stored.State);
        Assert.Equal(request.Version + 1, stored.Version);
    }

    [Fact]
    public async Task Ending_a_grant_with_its_heirs_stores_nothing_when_one_of_them_changed()
    {
        var store = OpenStore();
        var world = new AccessWorld(store);
        var ending = (await world.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(1), "read_comment")).Grant!;
        var heir = (await world.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(2), "create_comment")).Grant!;
        Assert.True(await OpenStore().TryUpdateGrantAsync(heir with { Reason = "changed by another replica" }, heir.Version, default));
        var ended = ending with { State = AccessGrantState.Revoked, EndedAt = world.Time.GetUtcNow() };

        Assert.False(await store.TryEndGrantAsync(ended, ending.Version, [new GrantUpdate(heir with { Reason = "heir" }, heir.Version)], default));

        Assert.Equal(AccessGrantState.Active, (await store.GetGrantAsync(ending.Id, default))!.State);
        Assert.Equal(ending.Version, (await store.GetGrantAsync(ending.Id, default))!.Version);
        var current = (await store.GetGrantAsync(heir.Id, default))!;
        Assert.True(await store.TryEndGrantAsync(ended, ending.Version, [new GrantUpdate(current with { Reason = "heir" }, current.Version)], default));
        Assert.Equal(AccessGrantState.Revoked, (await store.GetGrantAsync(ending.Id, default))!.State);
        Assert.Equal("heir", (await store.GetGrantAsync(heir.Id, default))!.Reason);
    }

    [Fact]
    public async Task Active_grants_on_a_token_are_only_that_tokens_active_grants_soonest_end_first()
    {
        var store = OpenStore();
        var now = new DateTimeOffset(2026, 11, 28, 3, 0, 0, TimeSpan.Zero);
        AccessGrant Grant(string id, string organization, string token, string? database, TimeSpan lasts) =>
            new(id, new AccessTarget(organization, token, database, ["read_branch"]), ["read_branch"],
                new AccessRequester("slack:user:UALICE", "alice", ChatPlatform.Slack, "slack:channel:CONCALL"), "INC-1", null,
                AccessWorld.DefaultRequirement, [], false, now, now + lasts);
        await store.InsertGrantAsync(Grant("g-late", "acme", "tok1", "prod", TimeSpan.FromHours(3)), default);
        await store.InsertGrantAsync(Grant("g-soon", "acme", "tok1", null, TimeSpan.FromHours(1)), default);
        await store.InsertGrantAsync(Grant("g-other-token", "acme", "tok2", "prod", TimeSpan.FromHours(1)), default);
        await store.InsertGrantAsync(Grant("g-other-org", "globex", "tok1", "prod", TimeSpan.FromHours(1)), default);
        var ended = Grant("g-ended", "acme", "tok1", "prod", TimeSpan.FromHours(2));
        await store.InsertGrantAsync(ended, default);
        Assert.True(await store.TryEndGrantAsync(ended with { State = AccessGrantState.Revoked, EndedAt = now }, ended.Version, [], default));

        var onToken = await OpenStore().ListActiveGrantsOnTokenAsync("acme", "tok1", default);

        Assert.Equal(["g-soon", "g-late"], onToken.Select(g => g.Id));
        Assert.Empty(await store.ListActiveGrantsOnTokenAsync("acme", "tok-none", default));
    }
}

public sealed class SqliteAccessStoreContractTests : AccessStoreContractTests
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "pscale-access-" + Guid.NewGuid().ToString("N"));

    // A folder that does not exist yet: the store creates it.
    private string DbPath => Path.Combine(directory, "nested", "access.db");

    protected override IAccessStore OpenStore() => new SqliteAccessStore(DbPath);

    protected override void ReleaseConnections() => SqliteConnection.ClearAllPools();

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresAccessStoreContractTests(PostgresCluster cluster) : AccessStoreContractTests
{
    private readonly List<NpgsqlDataSource> dataSources = [];
    private string connectionString = "";

    public override async Task InitializeAsync() => connectionString = await cluster.CreateDatabaseAsync("access");

    public override async Task DisposeAsync()
    {
        foreach (var dataSource in dataSources)
        {
            await dataSource.DisposeAsync();
        }
    }

    protected override IAccessStore OpenStore()
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        dataSources.Add(dataSource);
        return new PostgresAccessStore(dataSource);
    }

    [Fact]
    public async Task A_grant_another_replica_holds_locked_is_skipped_not_waited_for()
    {
        var store = OpenStore();
        var world = new AccessWorld(store);
        var grant = (await world.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(1))).Grant!;
        var now = world.Time.GetUtcNow();
        var replica = new AccessReplicaIdentity("replica-a", now);

        // Another replica is in the middle of a statement on the row.
        var other = dataSources[0];
        await using var connection = await other.OpenConnectionAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using (var lockRow = new NpgsqlCommand("SELECT id FROM access_grants WHERE id = @id FOR UPDATE", connection, transaction))
            {
                lockRow.Parameters.AddWithValue("id", grant.Id);
                await lockRow.ExecuteScalarAsync();
            }

            // Without SKIP LOCKED the claim would wait for that transaction, and the limit below would cancel it.
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            Assert.Null(await store.TryClaimGrantAsync(grant.Id, replica.Claim(now.AddMinutes(2)), now, limit.Token));
            await transaction.RollbackAsync();
        }

        Assert.NotNull(await store.TryClaimGrantAsync(grant.Id, replica.Claim(now.AddMinutes(2)), now, default));
    }
}
