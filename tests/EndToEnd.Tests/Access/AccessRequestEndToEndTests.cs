using PscaleBot.Commands.Access;
using PscaleBot.Commands.Results;
using static PscaleBot.EndToEnd.Tests.Access.AccessScenario;

namespace PscaleBot.EndToEnd.Tests.Access;

/// <summary>
/// On-call access requests through the whole bot: the pipeline, the policy file, the SQLite store, the expiry
/// service and the PlanetScale client over real HTTP to the sandbox, all on one fake clock. Every step is checked
/// against what the token really holds in the sandbox.
/// </summary>
public sealed class AccessRequestEndToEndTests : IAsyncLifetime
{
    private AccessScenario scenario = null!;

    public async Task InitializeAsync() => scenario = await AccessScenario.StartAsync();

    public async Task DisposeAsync() => await scenario.DisposeAsync();

    [Fact]
    public async Task Request_approve_grant_expire_then_request_approve_revoke_with_the_sandbox_checked_at_each_step_and_every_transition_audited()
    {
        var requestId = await scenario.RequestAsync(Oliver, "connect_production_branch");
        Assert.DoesNotContain("connect_production_branch", await scenario.HeldOnAsync());
        var pending = Assert.Single((await scenario.RunAsync(Ada, "access list")).Results.OfType<AccessListResult>().Single().Rows);
        Assert.Equal((requestId, "pending 0/1"), (pending.Id, pending.Status));

        var approved = await scenario.RunAsync(Ada, $"access approve {requestId}");
        Assert.StartsWith("Granted g-", Text(approved));
        Assert.Contains("connect_production_branch", await scenario.HeldOnAsync());
        var grant = await scenario.ActiveGrantOfAsync(Oliver);
        Assert.Equal(scenario.Time.GetUtcNow() + TimeSpan.FromHours(2), grant.EndsAt);
        Assert.Equal(["connect_production_branch"], grant.AddedPermissions);

        scenario.Time.Advance(TimeSpan.FromHours(2));
        await scenario.EventuallyAsync(
            async () => (await scenario.Store.GetGrantAsync(grant.Id, default))!.State == AccessGrantState.Expired,
            "the grant expires at its end");
        Assert.Equal(PermanentOnProd.Order(), (await scenario.HeldOnAsync()).Order());

        var second = await scenario.RequestAsync(Oliver, "connect_production_branch");
        Assert.StartsWith("Granted g-", Text(await scenario.RunAsync(Ben, $"access approve {second}")));
        var secondGrant = await scenario.ActiveGrantOfAsync(Oliver);
        Assert.Contains("connect_production_branch", await scenario.HeldOnAsync());
        Assert.StartsWith($"Grant {secondGrant.Id} revoked", Text(await scenario.RunAsync(Ada, $"access revoke {secondGrant.Id}")));
        Assert.Equal(PermanentOnProd.Order(), (await scenario.HeldOnAsync()).Order());
        Assert.Equal(AccessGrantState.Revoked, (await scenario.Store.GetGrantAsync(secondGrant.Id, default))!.State);

        var csv = await scenario.RunAsync(Ada, "audit --limit 500 --format csv");
        var audit = Assert.IsType<AuditTable>(Assert.Single(csv.Results));
        var decisions = audit.Entries.Select(e => e.Decision).ToList();
        Assert.Equal(2, decisions.Count(d => d == AccessTransitions.Requested));
        Assert.Equal(2, decisions.Count(d => d == AccessTransitions.Approved));
        Assert.Equal(2, decisions.Count(d => d == AccessTransitions.Granted));
        Assert.Single(decisions, AccessTransitions.Expired);
        Assert.Single(decisions, AccessTransitions.Revoked);
        var rendered = scenario.Render(csv);
        foreach (var transition in new[] { AccessTransitions.Requested, AccessTransitions.Approved, AccessTransitions.Granted, AccessTransitions.Expired, AccessTransitions.Revoked })
        {
            Assert.Contains($",{transition},", rendered, StringComparison.Ordinal);
        }

        Assert.Contains($"{grant.Id}: connect_production_branch on prod for token {Token} permission removed", rendered, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_approvals_at_the_same_moment_make_exactly_one_grant()
    {
        var requestId = await scenario.RequestAsync(Oliver, "connect_production_branch");

        var answers = await Task.WhenAll(
            scenario.RunAsync(Ada, $"access approve {requestId}"),
            scenario.RunAsync(Ben, $"access approve {requestId}"));

        Assert.All(answers, a => Assert.False(a.IsError, Text(a)));
        Assert.Single(answers, a => Text(a).StartsWith("Granted g-", StringComparison.Ordinal));
        Assert.Single(answers, a => Text(a).Contains("already approved", StringComparison.Ordinal));
        Assert.Single(await scenario.Store.ListActiveGrantsAsync(default));
        Assert.Contains("connect_production_branch", await scenario.HeldOnAsync());
        var audit = Assert.IsType<AuditTable>(Assert.Single((await scenario.RunAsync(Ada, "audit --limit 500")).Results));
        Assert.Single(audit.Entries, e => e.Decision == AccessTransitions.Granted);
    }

    [Fact]
    public async Task A_requester_cannot_approve_their_own_request()
    {
        var requestId = await scenario.RequestAsync(Oliver, "connect_production_branch");

        var answer = await scenario.RunAsync(Oliver, $"access approve {requestId}");

        Assert.True(answer.IsError);
        Assert.Equal($"Error: You can't approve your own request {requestId}.", Text(answer));
        Assert.Equal(AccessRequestState.Pending, (await scenario.Store.GetRequestAsync(requestId, default))!.State);
        Assert.DoesNotContain("connect_production_branch", await scenario.HeldOnAsync());
    }

    [Fact]
    public async Task The_two_person_rule_needs_two_different_approvers_before_anything_is_granted()
    {
        var requestId = await scenario.RequestAsync(Sam, "connect_production_branch", "1h");

        Assert.Contains("needs 1 more", Text(await scenario.RunAsync(Ada, $"access approve {requestId}")));
        Assert.DoesNotContain("connect_production_branch", await scenario.HeldOnAsync());
        Assert.Contains("already approved", Text(await scenario.RunAsync(Ada, $"access approve {requestId}")));
        Assert.DoesNotContain("connect_production_branch", await scenario.HeldOnAsync());
        Assert.Equal("pending 1/2", Assert.Single(Assert.IsType<AccessListResult>(Assert.Single((await scenario.RunAsync(Ada, "access list")).Results)).Rows).Status);

        Assert.StartsWith("Granted g-", Text(await scenario.RunAsync(Ben, $"access approve {requestId}")));
        Assert.Contains("connect_production_branch", await scenario.HeldOnAsync());
        var grant = await scenario.ActiveGrantOfAsync(Sam);
        Assert.Equal([Ada.UserId, Ben.UserId], grant.ApprovedBy.Select(a => a.ApproverId));
    }

    [Fact]
    public async Task An_unanswered_request_expires_and_can_no_longer_be_approved()
    {
        var requestId = await scenario.RequestAsync(Oliver, "connect_production_branch");

        scenario.Time.Advance(TimeSpan.FromMinutes(30));
        await scenario.EventuallyAsync(
            async () => (await scenario.Store.GetRequestAsync(requestId, default))!.State == AccessRequestState.Expired,
            "the request expires after request_timeout");
        var late = await scenario.RunAsync(Ada, $"access approve {requestId}");

        Assert.True(late.IsError);
        Assert.Contains("expired unanswered", Text(late));
        Assert.DoesNotContain("connect_production_branch", await scenario.HeldOnAsync());
        Assert.Empty(await scenario.Store.ListActiveGrantsAsync(default));
    }

    [Fact]
    public async Task An_approved_extension_moves_the_end_and_the_grant_holds_until_then()
    {
        var requestId = await scenario.RequestAsync(Oliver, "connect_production_branch", "1h");
        await scenario.RunAsync(Ada, $"access approve {requestId}");
        var grant = await scenario.ActiveGrantOfAsync(Oliver);

        var asked = await scenario.RunAsync(Oliver, $"access extend {grant.Id} --for 1h --reason \"still draining\"");
        Assert.StartsWith("Extension request r-", Text(asked));
        var extensionId = Assert.Single(await scenario.Store.ListPendingRequestsAsync(default)).Id;
        Assert.Contains("extended by 1h", Text(await scenario.RunAsync(Ben, $"access approve {extensionId}")));
        Assert.Equal(grant.EndsAt + TimeSpan.FromHours(1), (await scenario.Store.GetGrantAsync(grant.Id, default))!.EndsAt);

        // Past the original end: a pass of the revoker (run here, so this cannot pass by being early) keeps it.
        scenario.Time.Advance(TimeSpan.FromMinutes(75));
        await scenario.SweepNowAsync();
        Assert.Contains("connect_production_branch", await scenario.HeldOnAsync());
        Assert.Equal(AccessGrantState.Active, (await scenario.Store.GetGrantAsync(grant.Id, default))!.State);

        scenario.Time.Advance(TimeSpan.FromMinutes(45));
        // The revoker removes the permission at PlanetScale first and records the grant as expired after.
        await scenario.EventuallyAsync(
            async () => (await scenario.Store.GetGrantAsync(grant.Id, default))!.State == AccessGrantState.Expired,
            "the extended grant ends at its new end");
        Assert.DoesNotContain("connect_production_branch", await scenario.HeldOnAsync());
    }

    [Fact]
    public async Task Overlapping_grants_of_one_permission_hold_it_until_the_last_ends_and_permanent_permissions_stay()
    {
        // Admins may grant time-bound access without approval; read_branch is already held for good.
        Assert.StartsWith("Granted g-", Text(await scenario.RunAsync(Ada, $"service-token add-access {Token} read_branch connect_production_branch --database prod --for 1h")));
        Assert.StartsWith("Granted g-", Text(await scenario.RunAsync(Ben, $"service-token add-access {Token} connect_production_branch --database prod --for 3h")));
        var first = await scenario.ActiveGrantOfAsync(Ada);
        var second = await scenario.ActiveGrantOfAsync(Ben);
        Assert.Equal(["connect_production_branch"], first.AddedPermissions);

        scenario.Time.Advance(TimeSpan.FromHours(1));
        await scenario.EventuallyAsync(
            async () => (await scenario.Store.GetGrantAsync(first.Id, default))!.State == AccessGrantState.Expired,
            "the first grant expires");
        Assert.Equal(PermanentOnProd.Append("connect_production_branch").Order(), (await scenario.HeldOnAsync()).Order());
        Assert.Equal(["connect_production_branch"], (await scenario.Store.GetGrantAsync(second.Id, default))!.AddedPermissions);

        scenario.Time.Advance(TimeSpan.FromHours(2));
        await scenario.EventuallyAsync(
            async () => (await scenario.Store.GetGrantAsync(second.Id, default))!.State == AccessGrantState.Expired,
            "the second grant expires");
        Assert.Equal(PermanentOnProd.Order(), (await scenario.HeldOnAsync()).Order());
    }

    [Fact]
    public async Task A_failing_revoke_is_retried_with_growing_waits_shown_as_overdue_and_finally_done()
    {
        var requestId = await scenario.RequestAsync(Oliver, "connect_production_branch", "1h");
        await scenario.RunAsync(Ada, $"access approve {requestId}");
        var grant = await scenario.ActiveGrantOfAsync(Oliver);
        scenario.Bot.Sandbox.Faults.Force("DELETE", "/v1/organizations/*/service-tokens/*/access", 500, times: 3);

        scenario.Time.Advance(TimeSpan.FromHours(1));
        await scenario.EventuallyAsync(
            async () => (await scenario.Store.GetGrantAsync(grant.Id, default))!.RevokeAttempts >= 1,
            "the first revoke attempt fails", nudge: TimeSpan.FromSeconds(1));
        var first = (await scenario.Store.GetGrantAsync(grant.Id, default))!;
        Assert.Equal((AccessGrantState.Active, 1), (first.State, first.RevokeAttempts));
        Assert.True(first.NextAttemptAt!.Value - first.EndsAt >= TimeSpan.FromSeconds(30), "the first retry waits the initial delay");
        var overdue = Assert.Single(Assert.IsType<AccessListResult>(Assert.Single((await scenario.RunAsync(Ada, "access list")).Results)).Rows);
        Assert.Equal("overdue (1 failed revoke attempt(s))", overdue.Status);
        Assert.Contains("server error (500)", overdue.Note);
        Assert.Contains("connect_production_branch", await scenario.HeldOnAsync());

        // Just before the retry is due, a pass of the revoker leaves it alone.
        var early = first.NextAttemptAt.Value - TimeSpan.FromSeconds(1) - scenario.Time.GetUtcNow();
        if (early > TimeSpan.Zero)
        {
            scenario.Time.Advance(early);
        }

        await scenario.SweepNowAsync();
        Assert.Equal(1, (await scenario.Store.GetGrantAsync(grant.Id, default))!.RevokeAttempts);

        await scenario.EventuallyAsync(
            async () => (await scenario.Store.GetGrantAsync(grant.Id, default))!.RevokeAttempts >= 2,
            "the second revoke attempt fails", nudge: TimeSpan.FromSeconds(1));
        var second = (await scenario.Store.GetGrantAsync(grant.Id, default))!;
        Assert.True(second.NextAttemptAt!.Value - first.NextAttemptAt.Value >= TimeSpan.FromSeconds(60), "the second retry waits twice as long");

        await scenario.EventuallyAsync(
            async () => (await scenario.Store.GetGrantAsync(grant.Id, default))!.State == AccessGrantState.Expired,
            "the revoke succeeds once the sandbox recovers", nudge: TimeSpan.FromSeconds(5), nudgeLimit: TimeSpan.FromMinutes(10));

        Assert.Equal(PermanentOnProd.Order(), (await scenario.HeldOnAsync()).Order());
        // The sweeper ends the grant in the store first and audits it next: wait for that row, not only the state.
        AuditTable audit = null!;
        await scenario.EventuallyAsync(
            async () => (audit = Assert.IsType<AuditTable>(Assert.Single((await scenario.RunAsync(Ada, "audit --limit 500")).Results)))
                .Entries.Any(e => e.Decision == AccessTransitions.Expired),
            "the expiry is audited");
        Assert.Equal(3, audit.Entries.Count(e => e.Decision == AccessTransitions.Failed));
        Assert.Equal("ok after 3 failed attempt(s)", Assert.Single(audit.Entries, e => e.Decision == AccessTransitions.Expired).Outcome);
        Assert.Contains(audit.Entries, e => e.Decision == "notice:alert-revokefailing" && e.Command.Contains("has failed 3 times", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dry_run_of_an_approval_gated_grant_names_the_approvers_and_files_nothing()
    {
        var answer = await scenario.RunAsync(Oliver, $"service-token add-access {Token} connect_production_branch --database prod --for 2h --dry-run");

        var dryRun = Assert.IsType<DryRunResult>(Assert.Single(answer.Results));
        Assert.StartsWith("needs-approval (role oncall requires 1 approval(s) from role:db-admin;", dryRun.Decision);
        Assert.Empty(await scenario.Store.ListPendingRequestsAsync(default));
        Assert.DoesNotContain("connect_production_branch", await scenario.HeldOnAsync());
    }

    [Fact]
    public async Task Break_glass_grants_at_once_is_audited_as_break_glass_and_still_ends_on_time()
    {
        var answer = await scenario.RunAsync(Oliver, $"service-token add-access {Token} connect_production_branch --database prod --for 1h --break-glass --reason \"INC-9 primary down\"");

        Assert.StartsWith("BREAK-GLASS: Granted g-", Text(answer));
        Assert.Contains("connect_production_branch", await scenario.HeldOnAsync());
        var audit = Assert.IsType<AuditTable>(Assert.Single((await scenario.RunAsync(Ada, "audit --limit 500")).Results));
        Assert.Single(audit.Entries, e => e.Decision == AccessTransitions.BreakGlass);
        Assert.Contains(audit.Entries, e => e.Decision == "notice:alert-breakglass" && e.Command.StartsWith("BREAK-GLASS", StringComparison.Ordinal));

        scenario.Time.Advance(TimeSpan.FromHours(1));
        await scenario.EventuallyAsync(
            async () => !(await scenario.HeldOnAsync()).Contains("connect_production_branch"),
            "the break-glass grant ends");
    }
}
