using PscaleBot.Commands.Access;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Policy;
using PscaleBot.Commands.Results;

namespace PscaleBot.Bot.Tests.Access;

/// <summary>The access verbs and the access-request route, each run through the handler the bot registers for it.</summary>
public sealed class AccessHandlersTests
{
    private readonly AccessWorld world = new(new InMemoryAccessStore());

    [Fact]
    public async Task A_needs_approval_decision_files_a_request_and_answers_privately()
    {
        var response = await world.RunAsync(
            AccessWorld.Alice, AccessWorld.AddAccess("prod", TimeSpan.FromHours(1), "INC-7"), new PolicyDecision.NeedsApproval(["oncall"], world.Policy.Requirement));
        var message = Assert.IsType<MessageResult>(Assert.Single(response.Results));
        Assert.Matches("Request r-[a-z0-9]{4} filed", message.Text);
        Assert.Equal(ResponseVisibility.Private, response.Visibility);
        Assert.Contains("Alice requested", response.Announcement, StringComparison.Ordinal);
        Assert.Single(await world.Store.ListPendingRequestsAsync(default));
        Assert.False(world.Holds());
    }

    [Fact]
    public async Task The_access_request_handler_refuses_anything_but_add_access()
    {
        var response = await world.RunAsync(
            AccessWorld.Alice, new DeleteTokenCommand(CommonOptions.Default, AccessWorld.Token), new PolicyDecision.NeedsApproval(["oncall"], world.Policy.Requirement));
        Assert.True(response.Failed);
        Assert.Equal(ErrorCategory.Internal, Assert.IsType<ErrorResult>(Assert.Single(response.Results)).Category);
        Assert.Empty(await world.Store.ListPendingRequestsAsync(default));
        Assert.False(world.Holds());
    }

    [Fact]
    public async Task Approve_and_list_commands_run_through_their_handlers()
    {
        var id = (await world.RequestAsync(AccessWorld.Alice)).Request!.Id;
        var approve = await world.RunAsync(AccessWorld.Bob, new AccessApproveCommand(CommonOptions.Default, id), new PolicyDecision.Allowed(["approver"]));
        Assert.False(approve.Failed);
        Assert.True(world.Holds());
        Assert.Contains("holds connect_production_branch", approve.Announcement, StringComparison.Ordinal);

        var list = await world.RunAsync(AccessWorld.Alice, new AccessListCommand(CommonOptions.Default), new PolicyDecision.Allowed(["oncall"]));
        var table = Assert.IsType<AccessListResult>(Assert.Single(list.Results));
        Assert.Equal(AccessListRowKind.Grant, Assert.Single(table.Rows).Kind);
        Assert.Equal(["connect_production_branch"], table.Rows[0].Target.Permissions);
        Assert.Null(list.Announcement);
    }

    [Fact]
    public async Task Deny_cancel_revoke_and_extend_commands_reach_the_workflow()
    {
        var denyId = (await world.RequestAsync(AccessWorld.Alice)).Request!.Id;
        var deny = await world.RunAsync(AccessWorld.Bob, new AccessDenyCommand(CommonOptions.Default, denyId, "no"), Allowed);
        Assert.False(deny.Failed);
        Assert.Equal(AccessRequestState.Denied, (await world.Store.GetRequestAsync(denyId, default))!.State);

        var cancelId = (await world.RequestAsync(AccessWorld.Alice, reason: "other")).Request!.Id;
        var cancel = await world.RunAsync(AccessWorld.Alice, new AccessCancelCommand(CommonOptions.Default, cancelId), Allowed);
        Assert.False(cancel.Failed);

        world.Policy.TrustedUsers.Add(AccessWorld.Carol.UserId);
        var grant = await world.RunAsync(AccessWorld.Carol, AccessWorld.AddAccess("prod", TimeSpan.FromHours(1), null), Allowed);
        Assert.False(grant.Failed);
        var grantId = (await world.Store.ListActiveGrantsAsync(default)).Single().Id;
        var extend = await world.RunAsync(AccessWorld.Carol, new AccessExtendCommand(CommonOptions.Default, grantId, TimeSpan.FromMinutes(30), null), Allowed);
        Assert.False(extend.Failed);
        var revoke = await world.RunAsync(AccessWorld.Carol, new AccessRevokeCommand(CommonOptions.Default, grantId), Allowed);
        Assert.False(revoke.Failed);
        Assert.False(world.Holds());
    }

    [Fact]
    public async Task Break_glass_without_for_under_an_allowing_role_is_refused_with_a_hint()
    {
        var response = await world.RunAsync(AccessWorld.Carol, AccessWorld.AddAccess("prod", null, "INC-1", breakGlass: true), Allowed);
        var error = Assert.IsType<ErrorResult>(Assert.Single(response.Results));
        Assert.Contains("--for", error.Message, StringComparison.Ordinal);
        Assert.False(world.Holds());
    }

    [Theory]
    [InlineData(true, false, true)]
    [InlineData(false, false, false)]
    [InlineData(false, true, true)]
    public void Only_time_bound_or_approval_gated_add_access_is_routed_to_the_access_request_handler(bool timeBound, bool needsApproval, bool expected)
    {
        var command = AccessWorld.AddAccess("prod", timeBound ? TimeSpan.FromHours(1) : null, null);
        PolicyDecision decision = needsApproval ? new PolicyDecision.NeedsApproval(["oncall"], AccessWorld.DefaultRequirement) : Allowed;
        Assert.Equal(expected, Equals(CommandRoutes.AccessRequest, CommandRoutes.KeyOf(command, decision)));
        Assert.Equal(expected, CommandRoutes.IsAccessWorkflow(command, decision));
        Assert.Equal(typeof(ListTokensCommand), CommandRoutes.KeyOf(new ListTokensCommand(CommonOptions.Default), Allowed));
        Assert.True(CommandRoutes.IsAccessWorkflow(new AccessListCommand(CommonOptions.Default), Allowed));
    }

    [Fact]
    public async Task Access_list_is_public_only_when_asked()
    {
        Assert.Equal(ResponseVisibility.Private, (await world.RunAsync(AccessWorld.Alice, new AccessListCommand(CommonOptions.Default), Allowed)).Visibility);
        var asked = new AccessListCommand(CommonOptions.Default with { Public = true });
        Assert.Equal(ResponseVisibility.Public, (await world.RunAsync(AccessWorld.Alice, asked, Allowed)).Visibility);
    }

    [Fact]
    public async Task An_access_answer_is_audited_as_ok_or_its_error_and_keeps_the_announcement_only_on_success()
    {
        var filed = await world.RunAsync(
            AccessWorld.Alice, AccessWorld.AddAccess("prod", TimeSpan.FromHours(1), "INC-7"), new PolicyDecision.NeedsApproval(["oncall"], world.Policy.Requirement));
        Assert.Equal("ok", filed.Outcome);

        var refused = await world.RunAsync(AccessWorld.Bob, new AccessCancelCommand(CommonOptions.Default, "r-zzzz"), Allowed);
        Assert.StartsWith("error: usage (There is no access request 'r-zzzz'.", refused.Outcome, StringComparison.Ordinal);
        Assert.Null(refused.Announcement);
    }

    private static PolicyDecision Allowed => new PolicyDecision.Allowed(["oncall"]);
}
