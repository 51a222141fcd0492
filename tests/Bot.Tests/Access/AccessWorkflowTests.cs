using PscaleBot.Bot.Access;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Access.OnCall;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;

namespace PscaleBot.Bot.Tests.Access;

/// <summary>The whole access workflow, run once over each store implementation.</summary>
public abstract class AccessWorkflowTests : IDisposable
{
    private readonly AccessWorld world;

    protected AccessWorkflowTests()
    {
        world = new AccessWorld(CreateStore());
    }

    protected abstract IAccessStore CreateStore();

    public virtual void Dispose() => GC.SuppressFinalize(this);

    [Fact]
    public async Task Request_approve_grant_expire_revoke_changes_the_token_at_each_step()
    {
        Assert.False(world.Holds());
        var requested = await world.RequestAsync(AccessWorld.Alice, TimeSpan.FromHours(2));
        Assert.True(requested.Succeeded, Text(requested));
        var requestId = requested.Request!.Id;
        Assert.Matches("^r-[23456789abcdefghjkmnpqrstuvwxyz]{4}$", requestId);
        Assert.False(world.Holds());
        var posted = Assert.Single(world.Notices.Of<AccessRequestPosted>());
        Assert.Equal(AccessWorld.ApproversChannel, posted.Audience.ConversationId);
        Assert.Equal([AccessActionIds.Approve, AccessActionIds.Deny], posted.Actions.Select(a => a.ActionId));
        Assert.All(posted.Actions, a => Assert.Equal(requestId, a.Value));

        world.Time.Advance(TimeSpan.FromMinutes(5));
        var approved = await world.ApproveAsync(requestId, AccessWorld.Bob);
        Assert.True(approved.Succeeded, Text(approved));
        Assert.True(world.Holds());
        Assert.True(world.Holds("read_branch"));
        var grant = approved.Grant!;
        Assert.Equal(["connect_production_branch"], grant.AddedPermissions);
        Assert.Equal(world.Time.GetUtcNow() + TimeSpan.FromHours(2), grant.EndsAt); // the clock starts at approval
        var request = await world.Store.GetRequestAsync(requestId, default);
        Assert.Equal(AccessRequestState.Approved, request!.State);
        Assert.Equal(grant.Id, request.GrantId);
        Assert.Contains("Approved by Bob", Assert.Single(world.Notices.Of<AccessRequestSettled>()).Text);
        Assert.Contains(world.Notices.Of<AccessRequesterNotice>(), n => n.Audience.UserId == AccessWorld.Alice.UserId && n.GrantId == grant.Id);

        world.Time.Advance(TimeSpan.FromHours(2) - TimeSpan.FromSeconds(1));
        await world.SweepAsync();
        Assert.True(world.Holds());

        world.Time.Advance(TimeSpan.FromSeconds(1));
        await world.SweepAsync();
        Assert.False(world.Holds());
        Assert.True(world.Holds("read_branch"));
        var ended = await world.Store.GetGrantAsync(grant.Id, default);
        Assert.Equal(AccessGrantState.Expired, ended!.State);
        Assert.Equal(["connect_production_branch"], ended.RemovedPermissions);
        Assert.Contains(world.Notices.Of<AccessRequesterNotice>(), n => n.Text.Contains("has ended", StringComparison.Ordinal));
        Assert.Single(world.Notices.Of<AccessGrantEnded>());

        var transitions = world.Audit.Entries.Select(e => e.Decision).Where(d => d.StartsWith("access-", StringComparison.Ordinal)).ToList();
        Assert.Equal([AccessTransitions.Requested, AccessTransitions.Approved, AccessTransitions.Granted, AccessTransitions.Reminded, AccessTransitions.Expired], transitions);
        Assert.Equal(AccessWorld.Bob.UserId, world.Audit.Transitions(AccessTransitions.Approved).Single().UserId);
    }

    [Fact]
    public async Task The_requester_can_never_approve_their_own_request()
    {
        var requested = await world.RequestAsync(AccessWorld.Alice);
        var self = await world.ApproveAsync(requested.Request!.Id, AccessWorld.Alice);
        var error = Assert.IsType<ErrorResult>(self.Result);
        Assert.Contains("your own request", error.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.Denied, error.Category);
        Assert.False(world.Holds());
        Assert.Empty((await world.Store.GetRequestAsync(requested.Request.Id, default))!.Approvals);
    }

    [Fact]
    public async Task Someone_who_is_not_an_approver_cannot_approve()
    {
        var requested = await world.RequestAsync(AccessWorld.Alice);
        var outcome = await world.ApproveAsync(requested.Request!.Id, AccessWorld.Mallory);
        Assert.Equal(ErrorCategory.Denied, Assert.IsType<ErrorResult>(outcome.Result).Category);
        Assert.False(world.Holds());
    }

    [Fact]
    public async Task Two_person_rule_needs_two_distinct_approvers_and_counts_each_once()
    {
        world.Policy.Requirement = AccessWorld.DefaultRequirement with { RequiredApprovals = 2 };
        var id = (await world.RequestAsync(AccessWorld.Alice)).Request!.Id;

        var first = await world.ApproveAsync(id, AccessWorld.Bob);
        Assert.True(first.Succeeded);
        Assert.Contains("1 more", Text(first), StringComparison.Ordinal);
        Assert.False(world.Holds());

        var again = await world.ApproveAsync(id, AccessWorld.Bob);
        Assert.Contains("already approved", Text(again), StringComparison.Ordinal);
        Assert.False(world.Holds());
        Assert.Single((await world.Store.GetRequestAsync(id, default))!.Approvals);

        var second = await world.ApproveAsync(id, AccessWorld.Carol);
        Assert.True(second.Succeeded, Text(second));
        Assert.True(world.Holds());
        Assert.Equal(["slack:user:UBOB", "slack:user:UCAROL"], second.Grant!.ApprovedBy.Select(a => a.ApproverId));
        Assert.Equal(1, world.Api.AddCalls);
    }

    [Fact]
    public async Task An_unanswered_request_expires_and_can_never_be_approved_afterwards()
    {
        var id = (await world.RequestAsync(AccessWorld.Alice)).Request!.Id;
        world.Time.Advance(AccessWorld.DefaultRequirement.RequestTimeout);
        var next = await world.SweepAsync();
        Assert.Null(next);
        Assert.Equal(AccessRequestState.Expired, (await world.Store.GetRequestAsync(id, default))!.State);
        Assert.Single(world.Audit.Transitions(AccessTransitions.RequestExpired));
        Assert.Contains(world.Notices.Of<AccessRequesterNotice>(), n => n.Text.Contains("expired", StringComparison.Ordinal));

        var late = await world.ApproveAsync(id, AccessWorld.Bob);
        Assert.Contains("expired", Assert.IsType<ErrorResult>(late.Result).Message, StringComparison.Ordinal);
        Assert.False(world.Holds());
        Assert.Equal(0, world.Api.AddCalls);
    }

    [Fact]
    public async Task Approving_after_the_timeout_expires_the_request_even_before_the_sweeper_runs()
    {
        var id = (await world.RequestAsync(AccessWorld.Alice)).Request!.Id;
        world.Time.Advance(AccessWorld.DefaultRequirement.RequestTimeout + TimeSpan.FromSeconds(1));
        var late = await world.ApproveAsync(id, AccessWorld.Bob);
        Assert.False(late.Succeeded);
        Assert.Equal(AccessRequestState.Expired, (await world.Store.GetRequestAsync(id, default))!.State);
        Assert.False(world.Holds());
    }

    [Fact]
    public async Task A_denied_request_cannot_be_approved()
    {
        var id = (await world.RequestAsync(AccessWorld.Alice)).Request!.Id;
        var denied = await world.Settlement.DenyAsync(id, AccessWorld.Carol, AccessWorld.OnCallChannel, "use the replica", default);
        Assert.True(denied.Succeeded);
        var approved = await world.ApproveAsync(id, AccessWorld.Bob);
        Assert.Contains("already denied", Text(approved), StringComparison.Ordinal);
        Assert.False(world.Holds());
        Assert.Contains(world.Notices.Of<AccessRequesterNotice>(), n => n.Text.Contains("use the replica", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_the_requester_can_cancel()
    {
        var id = (await world.RequestAsync(AccessWorld.Alice)).Request!.Id;
        Assert.False((await world.Settlement.CancelAsync(id, AccessWorld.Bob, AccessWorld.OnCallChannel, default)).Succeeded);
        Assert.True((await world.Settlement.CancelAsync(id, AccessWorld.Alice, AccessWorld.OnCallChannel, default)).Succeeded);
        Assert.Equal(AccessRequestState.Cancelled, (await world.Store.GetRequestAsync(id, default))!.State);
        Assert.False((await world.ApproveAsync(id, AccessWorld.Bob)).Succeeded is true && world.Holds());
        Assert.False(world.Holds());
    }

    [Theory]
    [InlineData(5, "INC-1", "longer than the 4h")]
    [InlineData(1, null, "needs a reason")]
    [InlineData(1, "  ", "needs a reason")]
    public async Task Requests_outside_the_rule_are_refused_with_what_to_type_instead(int hours, string? reason, string expected)
    {
        var outcome = await world.RequestAsync(AccessWorld.Alice, TimeSpan.FromHours(hours), reason);
        var error = Assert.IsType<ErrorResult>(outcome.Result);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Hint);
        Assert.Empty(await world.Store.ListPendingRequestsAsync(default));
    }

    [Fact]
    public async Task A_rule_that_does_not_require_a_reason_accepts_a_request_without_one_but_break_glass_still_needs_one()
    {
        world.Policy.Requirement = AccessWorld.DefaultRequirement with { ReasonRequired = false };
        var outcome = await world.RequestAsync(AccessWorld.Alice, reason: null);
        Assert.True(outcome.Succeeded);
        Assert.Contains("(no reason given)", Assert.Single(world.Notices.Of<AccessRequestPosted>()).Text, StringComparison.Ordinal);
        var breakGlass = await world.RequestAsync(AccessWorld.Alice, reason: null, breakGlass: true);
        Assert.False(breakGlass.Succeeded);
        Assert.False(world.Holds());
    }

    [Fact]
    public async Task Without_for_the_default_duration_of_the_rule_applies()
    {
        var id = (await world.RequestAsync(AccessWorld.Alice, duration: null)).Request!.Id;
        var grant = (await world.ApproveAsync(id, AccessWorld.Bob)).Grant!;
        Assert.Equal(AccessWorld.DefaultRequirement.DefaultDuration, grant.EndsAt - grant.GrantedAt);
    }

    [Fact]
    public async Task Asking_twice_for_the_same_thing_returns_the_pending_request()
    {
        var first = await world.RequestAsync(AccessWorld.Alice);
        var second = await world.RequestAsync(AccessWorld.Alice);
        Assert.Equal(first.Request!.Id, second.Request!.Id);
        Assert.Single(await world.Store.ListPendingRequestsAsync(default));
    }

    [Fact]
    public async Task A_time_bound_grant_the_policy_allows_is_made_at_once_and_revoked_on_time()
    {
        var outcome = await world.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromMinutes(45));
        Assert.True(outcome.Succeeded, Text(outcome));
        Assert.Matches("^g-[23456789abcdefghjkmnpqrstuvwxyz]{4}$", outcome.Grant!.Id);
        Assert.True(world.Holds());
        Assert.Equal(world.Time.GetUtcNow() + TimeSpan.FromMinutes(35), await world.SweepAsync()); // next: the reminder
        world.Time.Advance(TimeSpan.FromMinutes(35));
        Assert.Equal(world.Time.GetUtcNow() + TimeSpan.FromMinutes(10), await world.SweepAsync()); // next: the end
        var reminder = Assert.Single(world.Notices.Of<AccessExpiryReminder>());
        Assert.Equal(AccessWorld.Carol.UserId, reminder.Audience.UserId);
        Assert.Equal(AccessActionIds.Extend, Assert.Single(reminder.Actions).ActionId);
        world.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.Null(await world.SweepAsync());
        Assert.False(world.Holds());
    }

    [Fact]
    public async Task Extending_an_allowed_grant_moves_its_end_and_the_revoke_waits_for_it()
    {
        world.Policy.TrustedUsers.Add(AccessWorld.Carol.UserId);
        var grant = (await world.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(1))).Grant!;
        world.Time.Advance(TimeSpan.FromMinutes(55));
        await world.SweepAsync(); // reminder
        var extended = await world.Grants.ExtendAsync(AccessWorld.Chat(AccessWorld.Carol), grant.Id, TimeSpan.FromHours(1), null, default);
        Assert.True(extended.Succeeded, Text(extended));
        Assert.Equal(grant.EndsAt + TimeSpan.FromHours(1), extended.Grant!.EndsAt);
        Assert.Null(extended.Grant.ReminderSentAt);

        world.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(extended.Grant.EndsAt - TimeSpan.FromMinutes(10), await world.SweepAsync()); // next: the new reminder
        Assert.True(world.Holds());
        world.Time.Advance(TimeSpan.FromMinutes(45));
        await world.SweepAsync();
        Assert.Equal(2, world.Notices.Of<AccessExpiryReminder>().Count);
        Assert.True(world.Holds());
        world.Time.Advance(TimeSpan.FromMinutes(10));
        await world.SweepAsync();
        Assert.False(world.Holds());
        Assert.Single(world.Audit.Transitions(AccessTransitions.Extended));
    }

    [Fact]
    public async Task Extending_under_an_approval_rule_files_an_extension_request_that_approval_applies()
    {
        var id = (await world.RequestAsync(AccessWorld.Alice, TimeSpan.FromHours(1))).Request!.Id;
        var grant = (await world.ApproveAsync(id, AccessWorld.Bob)).Grant!;
        var asked = await world.Grants.ExtendAsync(AccessWorld.Chat(AccessWorld.Alice), grant.Id, TimeSpan.FromMinutes(30), "still debugging", default);
        Assert.True(asked.Succeeded, Text(asked));
        Assert.Equal(AccessRequestKind.Extension, asked.Request!.Kind);
        Assert.Equal(grant.EndsAt, (await world.Store.GetGrantAsync(grant.Id, default))!.EndsAt);

        var tooLong = await world.Grants.ExtendAsync(AccessWorld.Chat(AccessWorld.Alice), grant.Id, TimeSpan.FromHours(9), "x", default);
        Assert.False(tooLong.Succeeded);

        var approved = await world.ApproveAsync(asked.Request.Id, AccessWorld.Carol);
        Assert.True(approved.Succeeded, Text(approved));
        Assert.Equal(grant.EndsAt + TimeSpan.FromMinutes(30), (await world.Store.GetGrantAsync(grant.Id, default))!.EndsAt);
        Assert.Equal(1, world.Api.AddCalls);
    }

    [Fact]
    public async Task An_extension_approved_after_the_grant_ended_fails_and_grants_nothing()
    {
        var id = (await world.RequestAsync(AccessWorld.Alice, TimeSpan.FromHours(1))).Request!.Id;
        var grant = (await world.ApproveAsync(id, AccessWorld.Bob)).Grant!;
        var asked = await world.Grants.ExtendAsync(AccessWorld.Chat(AccessWorld.Alice), grant.Id, TimeSpan.FromMinutes(30), "more", default);
        world.Time.Advance(TimeSpan.FromHours(1));
        await world.SweepAsync();
        Assert.False(world.Holds());

        // The extension request itself timed out at 30 minutes, so approving is refused either way.
        var approved = await world.ApproveAsync(asked.Request!.Id, AccessWorld.Carol);
        Assert.False(approved.Succeeded);
        Assert.False(world.Holds());
    }

    [Fact]
    public async Task Overlapping_grants_keep_the_permission_until_the_last_one_ends()
    {
        var first = await world.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(1));
        world.Time.Advance(TimeSpan.FromMinutes(10));
        var second = await world.GrantAllowedAsync(AccessWorld.Bob, TimeSpan.FromHours(2));
        Assert.Equal(["connect_production_branch"], first.Grant!.AddedPermissions);
        Assert.Empty(second.Grant!.AddedPermissions);
        Assert.Equal(1, world.Api.AddCalls);

        world.Time.Advance(TimeSpan.FromMinutes(50));
        await world.SweepAsync();
        Assert.Equal(AccessGrantState.Expired, (await world.Store.GetGrantAsync(first.Grant.Id, default))!.State);
        Assert.True(world.Holds());
        Assert.Equal(["connect_production_branch"], (await world.Store.GetGrantAsync(second.Grant.Id, default))!.AddedPermissions);

        world.Time.Advance(TimeSpan.FromMinutes(70));
        await world.SweepAsync();
        Assert.False(world.Holds());
        Assert.True(world.Holds("read_branch"));
    }

    [Fact]
    public async Task A_shorter_later_grant_ending_first_leaves_the_longer_grants_permission()
    {
        var longer = await world.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(3));
        var shorter = await world.GrantAllowedAsync(AccessWorld.Bob, TimeSpan.FromHours(1), "connect_production_branch", "read_deploy_request");
        Assert.Equal(["read_deploy_request"], shorter.Grant!.AddedPermissions);

        world.Time.Advance(TimeSpan.FromHours(1));
        await world.SweepAsync();
        Assert.True(world.Holds());
        Assert.False(world.Holds("read_deploy_request"));

        world.Time.Advance(TimeSpan.FromHours(2));
        await world.SweepAsync();
        Assert.False(world.Holds());
        Assert.Equal(AccessGrantState.Expired, (await world.Store.GetGrantAsync(longer.Grant!.Id, default))!.State);
    }

    [Fact]
    public async Task A_permanent_permission_held_before_the_grant_is_never_removed()
    {
        var outcome = await world.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(1), "read_branch", "connect_production_branch");
        Assert.Equal(["connect_production_branch"], outcome.Grant!.AddedPermissions);
        Assert.Contains("already held", Text(outcome), StringComparison.Ordinal);
        world.Time.Advance(TimeSpan.FromHours(1));
        await world.SweepAsync();
        Assert.True(world.Holds("read_branch"));
        Assert.False(world.Holds());
    }

    [Fact]
    public async Task A_revoke_that_fails_is_retried_with_backoff_alerts_after_n_failures_and_finally_succeeds()
    {
        var grant = (await world.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromMinutes(5))).Grant!;
        world.Api.DeleteFailuresLeft = 4;
        world.Time.Advance(TimeSpan.FromMinutes(5));

        var next = await world.SweepAsync();
        var stored = (await world.Store.GetGrantAsync(grant.Id, default))!;
        Assert.Equal(1, stored.RevokeAttempts);
        Assert.Equal(world.Time.GetUtcNow() + TimeSpan.FromSeconds(30), stored.NextAttemptAt);
        Assert.Equal(stored.NextAttemptAt, next);
        Assert.Contains("503", stored.LastError, StringComparison.Ordinal);
        Assert.True(stored.IsActive);
        var row = Assert.Single((await world.Listing.ListAsync(AccessWorld.Carol, AccessWorld.OnCallChannel, default)).Rows);
        Assert.StartsWith("overdue", row.Status, StringComparison.Ordinal);

        await world.SweepAsync(); // not yet due again: no call
        Assert.Equal(1, world.Api.DeleteCalls);

        var expectedDelays = new[] { 30, 60, 120, 240 };
        for (var failure = 1; failure < 4; failure++)
        {
            world.Time.Advance(TimeSpan.FromSeconds(expectedDelays[failure - 1]));
            await world.SweepAsync();
            stored = (await world.Store.GetGrantAsync(grant.Id, default))!;
            Assert.Equal(failure + 1, stored.RevokeAttempts);
            Assert.Equal(world.Time.GetUtcNow() + TimeSpan.FromSeconds(expectedDelays[failure]), stored.NextAttemptAt);
            Assert.Equal(failure + 1 >= 3 ? 1 : 0, world.Notices.Of<AccessAlert>().Count(a => a.Kind == AccessAlertKind.RevokeFailing));
        }

        Assert.True(world.Holds());
        world.Time.Advance(TimeSpan.FromSeconds(240));
        await world.SweepAsync();
        Assert.False(world.Holds());
        stored = (await world.Store.GetGrantAsync(grant.Id, default))!;
        Assert.Equal(AccessGrantState.Expired, stored.State);
        Assert.Equal(4, world.Audit.Transitions(AccessTransitions.Failed).Count);
        Assert.Contains("after 4 failed", world.Audit.Transitions(AccessTransitions.Expired).Single().Outcome, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Break_glass_grants_at_once_alerts_approvers_and_is_flagged_in_the_audit()
    {
        var outcome = await world.RequestAsync(AccessWorld.Alice, TimeSpan.FromHours(1), "prod down, nobody answering", breakGlass: true);
        Assert.True(outcome.Succeeded, Text(outcome));
        Assert.True(world.Holds());
        Assert.True(outcome.Grant!.BreakGlass);
        Assert.Equal(MessageTone.Warning, Assert.IsType<MessageResult>(outcome.Result).Tone);
        var alert = Assert.Single(world.Notices.Of<AccessAlert>());
        Assert.Equal(AccessAlertKind.BreakGlass, alert.Kind);
        Assert.Equal(AccessWorld.ApproversChannel, alert.Audience.ConversationId);
        Assert.Equal(AccessWorld.DefaultRequirement.Approvers, alert.Approvers);
        var audited = Assert.Single(world.Audit.Transitions(AccessTransitions.BreakGlass));
        Assert.StartsWith("BREAK-GLASS", audited.Command, StringComparison.Ordinal);
        Assert.Equal("prod down, nobody answering", audited.Reason);
        world.Time.Advance(TimeSpan.FromHours(1));
        await world.SweepAsync();
        Assert.False(world.Holds());
    }

    [Fact]
    public async Task Break_glass_is_refused_where_the_rule_does_not_allow_it()
    {
        world.Policy.Requirement = AccessWorld.DefaultRequirement with { BreakGlassAllowed = false };
        var outcome = await world.RequestAsync(AccessWorld.Alice, TimeSpan.FromHours(1), "urgent", breakGlass: true);
        Assert.Contains("not allowed", Assert.IsType<ErrorResult>(outcome.Result).Message, StringComparison.Ordinal);
        Assert.False(world.Holds());
        Assert.Empty(world.Notices.Of<AccessAlert>());
    }

    [Fact]
    public async Task The_on_call_requester_is_approved_automatically_and_it_is_recorded_as_such()
    {
        world.Policy.Requirement = AccessWorld.DefaultRequirement with { OnCallAutoApprove = true };
        var now = world.Time.GetUtcNow();
        world.Roster.Shifts.Add(new OnCallShift("slack:usergroup:SONCALL", now.AddHours(-1), now.AddHours(7)));

        var outcome = await world.RequestAsync(AccessWorld.Alice);
        Assert.True(outcome.Succeeded, Text(outcome));
        Assert.True(world.Holds());
        Assert.Equal(AccessRequestState.Approved, outcome.Request!.State);
        var approval = Assert.Single(outcome.Request.Approvals);
        Assert.Equal(ApprovalKind.OnCall, approval.Kind);
        Assert.Single(world.Audit.Transitions(AccessTransitions.AutoApproved));
    }

    [Fact]
    public async Task Someone_off_shift_still_needs_an_approver()
    {
        world.Policy.Requirement = AccessWorld.DefaultRequirement with { OnCallAutoApprove = true };
        var now = world.Time.GetUtcNow();
        world.Roster.Shifts.Add(new OnCallShift("slack:usergroup:SONCALL", now.AddHours(-9), now.AddHours(-1)));
        var outcome = await world.RequestAsync(AccessWorld.Alice);
        Assert.Equal(AccessRequestState.Pending, outcome.Request!.State);
        Assert.False(world.Holds());
    }

    [Fact]
    public async Task Revoke_ends_a_grant_now_for_its_holder_and_refuses_strangers()
    {
        var grant = (await world.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(1))).Grant!;
        var stranger = await world.Grants.RevokeAsync(grant.Id, AccessWorld.Mallory, AccessWorld.OnCallChannel, default);
        Assert.Equal(ErrorCategory.Denied, Assert.IsType<ErrorResult>(stranger.Result).Category);
        Assert.True(world.Holds());

        var revoked = await world.Grants.RevokeAsync(grant.Id.ToUpperInvariant(), AccessWorld.Carol, AccessWorld.OnCallChannel, default);
        Assert.True(revoked.Succeeded, Text(revoked));
        Assert.False(world.Holds());
        Assert.Equal(AccessGrantState.Revoked, (await world.Store.GetGrantAsync(grant.Id, default))!.State);
        Assert.Single(world.Audit.Transitions(AccessTransitions.Revoked));
    }

    [Fact]
    public async Task The_reconciler_reports_missing_and_extra_permissions_once()
    {
        var first = (await world.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(1))).Grant!;
        var second = (await world.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromMinutes(30), "read_deploy_request")).Grant!;
        Assert.Empty(await world.Reconciler.ReconcileAsync(default));

        world.Api.SetByHand(AccessWorld.Token, "prod", "connect_production_branch", held: false);
        var drift = await world.Reconciler.ReconcileAsync(default);
        var missing = Assert.Single(drift);
        Assert.Equal(DriftKind.Missing, missing.Kind);
        Assert.Equal(first.Id, missing.GrantId);
        Assert.Single(world.Notices.Of<AccessAlert>(), a => a.Kind == AccessAlertKind.Drift);
        Assert.Single(world.Audit.Transitions(AccessTransitions.Drift));

        await world.Reconciler.ReconcileAsync(default);
        Assert.Single(world.Audit.Transitions(AccessTransitions.Drift));

        world.Time.Advance(TimeSpan.FromMinutes(30));
        await world.SweepAsync();
        Assert.False(world.Holds("read_deploy_request"));
        world.Api.SetByHand(AccessWorld.Token, "prod", "read_deploy_request", held: true);
        drift = await world.Reconciler.ReconcileAsync(default);
        Assert.Contains(drift, d => d.Kind == DriftKind.Extra && d.GrantId == second.Id);
        Assert.Equal(2, world.Audit.Transitions(AccessTransitions.Drift).Count);
    }

    [Fact]
    public async Task A_change_to_a_granted_token_made_outside_the_bot_is_reported_once_to_its_approvers()
    {
        var grant = (await world.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(1))).Grant!;
        var at = world.Time.GetUtcNow();
        world.Api.AuditEvents!.AddRange(
        [
            new PlanetScaleAuditEvent("aud3", at, "service_token.access_granted", "usr0alice", "User", "Alice Admin", AccessWorld.Token, "deploy", ["accesses=delete_branch", "database=prod"]),
            // The bot's own change and a token it holds no grant on are not drift.
            new PlanetScaleAuditEvent("aud2", at, "service_token.access_granted", AccessWorld.BotToken, "ServiceToken", "pscale-bot", AccessWorld.Token, "deploy", []),
            new PlanetScaleAuditEvent("aud1", at, "service_token.deleted", "usr0alice", "User", "Alice Admin", "othertoken01", "other", []),
        ]);

        var drift = await world.Reconciler.ReconcileAsync(default);

        var outside = Assert.Single(drift);
        Assert.Equal((DriftKind.Outside, grant.Id), (outside.Kind, outside.GrantId));
        Assert.Contains("was changed outside the bot: service_token.access_granted accesses=delete_branch database=prod by User Alice Admin", outside.Describe(), StringComparison.Ordinal);
        Assert.Single(world.Notices.Of<AccessAlert>(), a => a.Kind == AccessAlertKind.Drift && a.Text.Contains("outside the bot", StringComparison.Ordinal));
        await world.Reconciler.ReconcileAsync(default);
        Assert.Single(world.Audit.Transitions(AccessTransitions.Drift));
    }

    [Fact]
    public async Task An_unreadable_planetscale_audit_log_leaves_permission_drift_working()
    {
        await world.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(1));
        world.Api.AuditEvents = null;
        world.Api.SetByHand(AccessWorld.Token, "prod", "connect_production_branch", held: false);

        var drift = await world.Reconciler.ReconcileAsync(default);

        Assert.Equal(DriftKind.Missing, Assert.Single(drift).Kind);
    }

    [Fact]
    public async Task List_shows_requests_and_grants_to_those_involved_only()
    {
        var request = (await world.RequestAsync(AccessWorld.Alice)).Request!;
        var grant = (await world.GrantAllowedAsync(AccessWorld.Mallory, TimeSpan.FromHours(1), "read_deploy_request")).Grant!;

        var mine = await world.Listing.ListAsync(AccessWorld.Alice, AccessWorld.OnCallChannel, default);
        Assert.Contains(mine.Rows, r => r.Id == request.Id);
        var approver = await world.Listing.ListAsync(AccessWorld.Bob, AccessWorld.OnCallChannel, default);
        Assert.Contains(approver.Rows, r => r.Id == request.Id && r.Status == "pending 0/1");
        Assert.DoesNotContain(approver.Rows, r => r.Id == grant.Id);
        var stranger = await world.Listing.ListAsync(AccessWorld.Mallory, AccessWorld.OnCallChannel, default);
        Assert.Equal([grant.Id], stranger.Rows.Select(r => r.Id));
        world.Policy.Admins.Add(AccessWorld.Bob.UserId);
        Assert.Equal(2, (await world.Listing.ListAsync(AccessWorld.Bob, AccessWorld.OnCallChannel, default)).Rows.Count);
    }

    [Fact]
    public async Task Unknown_and_malformed_ids_get_a_hint_not_an_exception()
    {
        var unknown = await world.ApproveAsync("r-zzzz", AccessWorld.Bob);
        Assert.Contains("access list", Assert.IsType<ErrorResult>(unknown.Result).Hint, StringComparison.Ordinal);
        var malformed = await world.ApproveAsync("DROP TABLE", AccessWorld.Bob);
        Assert.False(malformed.Succeeded);
        var revoke = await world.Grants.RevokeAsync("g-0000", AccessWorld.Bob, AccessWorld.OnCallChannel, default);
        Assert.False(revoke.Succeeded);
    }

    [Fact]
    public async Task Ids_typed_without_prefix_or_in_capitals_are_understood()
    {
        var id = (await world.RequestAsync(AccessWorld.Alice)).Request!.Id;
        var outcome = await world.ApproveAsync(id[2..].ToUpperInvariant(), AccessWorld.Bob);
        Assert.True(outcome.Succeeded, Text(outcome));
        Assert.True(world.Holds());
    }

    [Fact]
    public async Task A_failed_grant_at_planetscale_reports_the_error_and_leaves_nothing_held()
    {
        var outcome = await world.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(1), "create_databases"); // org-level name on a database
        var error = Assert.IsType<ErrorResult>(outcome.Result);
        Assert.Equal(ErrorCategory.Api, error.Category);
        Assert.Contains("invalid access", error.Message, StringComparison.Ordinal);
        await world.SweepAsync();
        Assert.Empty(await world.Store.ListActiveGrantsAsync(default));
        Assert.Equal(0, world.Api.DeleteCalls);
    }

    [Fact]
    public async Task A_secret_pasted_into_the_reason_never_reaches_the_store_the_audit_or_a_channel()
    {
        var outcome = await world.RequestAsync(AccessWorld.Alice, reason: "INC-9 pscale_tkn_s3cretValue123 failing");
        Assert.Equal("INC-9 pscale_tkn_[REDACTED] failing", (await world.Store.GetRequestAsync(outcome.Request!.Id, default))!.Reason);
        Assert.DoesNotContain(world.Audit.Entries, e => (e.Reason + e.Command).Contains("s3cret", StringComparison.Ordinal));
        Assert.DoesNotContain(world.Notices.Sent, n => n.Text.Contains("s3cret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_end_of_an_approved_grant_is_told_where_the_request_was_posted()
    {
        var id = (await world.RequestAsync(AccessWorld.Alice)).Request!.Id;
        await world.ApproveAsync(id, AccessWorld.Bob);
        world.Time.Advance(TimeSpan.FromHours(1));
        await world.SweepAsync();
        Assert.Equal(AccessWorld.ApproversChannel, Assert.Single(world.Notices.Of<AccessGrantEnded>()).Audience.ConversationId);
    }

    [Fact]
    public async Task A_grant_whose_answer_was_lost_but_which_was_applied_counts_as_granted_and_is_still_revoked()
    {
        world.Api.NextAddTimesOutAfterApplying = true;
        var outcome = await world.GrantAllowedAsync(AccessWorld.Carol, TimeSpan.FromHours(1));
        Assert.True(outcome.Succeeded, Text(outcome));
        Assert.True(world.Holds());
        world.Time.Advance(TimeSpan.FromHours(1));
        await world.SweepAsync();
        Assert.False(world.Holds());
    }

    [Fact]
    public async Task An_unreadable_roster_falls_back_to_asking_approvers()
    {
        world.Policy.Requirement = AccessWorld.DefaultRequirement with { OnCallAutoApprove = true };
        world.Roster.Broken = true;
        var outcome = await world.RequestAsync(AccessWorld.Alice);
        Assert.Equal(AccessRequestState.Pending, outcome.Request!.State);
        Assert.False(world.Holds());
    }

    [Fact]
    public async Task An_on_call_service_that_cannot_answer_sends_the_request_to_approvers_with_the_reason_and_no_error_to_the_requester()
    {
        world.Policy.Requirement = AccessWorld.DefaultRequirement with { OnCallAutoApprove = true };
        const string reason = "PagerDuty could not be reached, so on-call auto-approval was skipped.";
        world.Roster.Failure = new OnCallRosterUnavailableException(reason);

        var outcome = await world.RequestAsync(AccessWorld.Alice);

        Assert.Equal(AccessRequestState.Pending, outcome.Request!.State);
        var toRequester = Assert.IsType<MessageResult>(outcome.Result);
        Assert.DoesNotContain("PagerDuty", toRequester.Text, StringComparison.Ordinal);
        var posted = Assert.Single(world.Notices.Of<AccessRequestPosted>());
        Assert.EndsWith(" " + reason, posted.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_roster_is_named_to_approvers_without_its_internals()
    {
        world.Policy.Requirement = AccessWorld.DefaultRequirement with { OnCallAutoApprove = true };
        world.Roster.Broken = true;

        await world.RequestAsync(AccessWorld.Alice);

        var posted = Assert.Single(world.Notices.Of<AccessRequestPosted>());
        Assert.Contains("The on-call roster could not be read, so on-call auto-approval was skipped.", posted.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Line 3", posted.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_on_call_auto_approval_the_approvers_post_says_nothing_about_the_roster()
    {
        world.Roster.Failure = new OnCallRosterUnavailableException("PagerDuty could not be reached, so on-call auto-approval was skipped.");

        await world.RequestAsync(AccessWorld.Alice);

        Assert.DoesNotContain("on-call", Assert.Single(world.Notices.Of<AccessRequestPosted>()).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_approvers_may_deny_and_the_requester_is_pointed_to_cancel()
    {
        var id = (await world.RequestAsync(AccessWorld.Alice)).Request!.Id;
        Assert.Equal(ErrorCategory.Denied, Assert.IsType<ErrorResult>((await world.Settlement.DenyAsync(id, AccessWorld.Mallory, AccessWorld.OnCallChannel, null, default)).Result).Category);
        var own = Assert.IsType<ErrorResult>((await world.Settlement.DenyAsync(id, AccessWorld.Alice, AccessWorld.OnCallChannel, null, default)).Result);
        Assert.Contains("access cancel", own.Hint, StringComparison.Ordinal);
        Assert.Equal(AccessRequestState.Pending, (await world.Store.GetRequestAsync(id, default))!.State);
    }

    private static string Text(AccessOutcome outcome) => outcome.Result switch
    {
        MessageResult m => m.Text,
        ErrorResult e => e.Message + " / " + e.Hint,
        _ => outcome.Result.ToString(),
    };
}

public sealed class InMemoryAccessWorkflowTests : AccessWorkflowTests
{
    protected override IAccessStore CreateStore() => new InMemoryAccessStore();
}

public sealed class SqliteAccessWorkflowTests : AccessWorkflowTests
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "pscale-access-" + Guid.NewGuid().ToString("N"));

    protected override IAccessStore CreateStore() => new SqliteAccessStore(Path.Combine(directory, "access.db"));

    public override void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }

        base.Dispose();
    }
}

[Collection(PscaleBot.TestSupport.Postgres.PostgresCollection.Name)]
public sealed class PostgresAccessWorkflowTests(PscaleBot.TestSupport.Postgres.PostgresCluster cluster) : AccessWorkflowTests
{
    // Assigned before the base constructor calls CreateStore.
    private readonly PscaleBot.TestSupport.Postgres.PostgresCluster server = cluster;
    private Npgsql.NpgsqlDataSource? dataSource;

    protected override IAccessStore CreateStore()
    {
        dataSource = Npgsql.NpgsqlDataSource.Create(server.CreateDatabase("workflow"));
        return new PostgresAccessStore(dataSource);
    }

    public override void Dispose()
    {
        dataSource?.Dispose();
        base.Dispose();
    }
}
