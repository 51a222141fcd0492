using PscaleBot.Commands.Access;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;
using PscaleBot.Commands.Results;

namespace PscaleBot.Bot.Tests.Access;

public sealed class AccessCommandHandlerTests
{
    private readonly AccessWorld world = new(new InMemoryAccessStore());

    [Fact]
    public async Task The_gateway_files_a_request_for_a_needs_approval_decision_and_answers_privately()
    {
        var gateway = new AccessRequestGateway(world.Handler);
        var response = await gateway.RequestAsync(
            Prepared(AccessWorld.Alice, AccessWorld.AddAccess("prod", TimeSpan.FromHours(1), "INC-7"), new PolicyDecision.NeedsApproval(["oncall"], world.Policy.Requirement)),
            default);
        var message = Assert.IsType<MessageResult>(Assert.Single(response.Results));
        Assert.Matches("Request r-[a-z0-9]{4} filed", message.Text);
        Assert.Equal(ResponseVisibility.Private, response.Visibility);
        Assert.Contains("Alice requested", response.Announcement, StringComparison.Ordinal);
        Assert.Single(await world.Store.ListPendingRequestsAsync(default));
        Assert.False(world.Holds());
    }

    [Fact]
    public async Task The_gateway_refuses_anything_but_add_access_needing_approval()
    {
        var gateway = new AccessRequestGateway(world.Handler);
        var response = await gateway.RequestAsync(
            Prepared(AccessWorld.Alice, AccessWorld.AddAccess("prod", TimeSpan.FromHours(1), "x"), new PolicyDecision.Allowed(["db-admin"])), default);
        Assert.True(response.IsError);
        Assert.False(world.Holds());
    }

    [Fact]
    public async Task Approve_and_list_commands_run_through_the_handler()
    {
        var id = (await world.RequestAsync(AccessWorld.Alice)).Request!.Id;
        var approve = await world.Handler.HandleAsync(Prepared(AccessWorld.Bob, new AccessApproveCommand(CommonOptions.Default, id), new PolicyDecision.Allowed(["approver"])), default);
        Assert.False(approve.IsError);
        Assert.True(world.Holds());
        Assert.Contains("holds connect_production_branch", approve.Announcement, StringComparison.Ordinal);

        var list = await world.Handler.HandleAsync(Prepared(AccessWorld.Alice, new AccessListCommand(CommonOptions.Default), new PolicyDecision.Allowed(["oncall"])), default);
        var table = Assert.IsType<AccessListResult>(Assert.Single(list.Results));
        Assert.Equal(AccessListRowKind.Grant, Assert.Single(table.Rows).Kind);
        Assert.Equal(["connect_production_branch"], table.Rows[0].Target.Permissions);
        Assert.Null(list.Announcement);
    }

    [Fact]
    public async Task Deny_cancel_revoke_and_extend_commands_reach_the_workflow()
    {
        var denyId = (await world.RequestAsync(AccessWorld.Alice)).Request!.Id;
        var deny = await world.Handler.HandleAsync(Prepared(AccessWorld.Bob, new AccessDenyCommand(CommonOptions.Default, denyId, "no"), Allowed), default);
        Assert.False(deny.IsError);
        Assert.Equal(AccessRequestState.Denied, (await world.Store.GetRequestAsync(denyId, default))!.State);

        var cancelId = (await world.RequestAsync(AccessWorld.Alice, reason: "other")).Request!.Id;
        var cancel = await world.Handler.HandleAsync(Prepared(AccessWorld.Alice, new AccessCancelCommand(CommonOptions.Default, cancelId), Allowed), default);
        Assert.False(cancel.IsError);

        world.Policy.TrustedUsers.Add(AccessWorld.Carol.UserId);
        var grant = await world.Handler.HandleAsync(Prepared(AccessWorld.Carol, AccessWorld.AddAccess("prod", TimeSpan.FromHours(1), null), Allowed), default);
        Assert.False(grant.IsError);
        var grantId = (await world.Store.ListActiveGrantsAsync(default)).Single().Id;
        var extend = await world.Handler.HandleAsync(Prepared(AccessWorld.Carol, new AccessExtendCommand(CommonOptions.Default, grantId, TimeSpan.FromMinutes(30), null), Allowed), default);
        Assert.False(extend.IsError);
        var revoke = await world.Handler.HandleAsync(Prepared(AccessWorld.Carol, new AccessRevokeCommand(CommonOptions.Default, grantId), Allowed), default);
        Assert.False(revoke.IsError);
        Assert.False(world.Holds());
    }

    [Fact]
    public async Task Break_glass_without_for_under_an_allowing_role_is_refused_with_a_hint()
    {
        var response = await world.Handler.HandleAsync(
            Prepared(AccessWorld.Carol, AccessWorld.AddAccess("prod", null, "INC-1", breakGlass: true), Allowed), default);
        var error = Assert.IsType<ErrorResult>(Assert.Single(response.Results));
        Assert.Contains("--for", error.Message, StringComparison.Ordinal);
        Assert.False(world.Holds());
    }

    [Theory]
    [InlineData(true, false, true)]
    [InlineData(false, false, false)]
    [InlineData(false, true, true)]
    public void Handles_time_bound_or_approval_gated_add_access_only(bool timeBound, bool needsApproval, bool expected)
    {
        var command = AccessWorld.AddAccess("prod", timeBound ? TimeSpan.FromHours(1) : null, null);
        PolicyDecision decision = needsApproval ? new PolicyDecision.NeedsApproval(["oncall"], AccessWorld.DefaultRequirement) : Allowed;
        Assert.Equal(expected, AccessCommandHandler.Handles(command, decision));
        Assert.False(AccessCommandHandler.Handles(new ListTokensCommand(CommonOptions.Default), Allowed));
    }

    private static PolicyDecision Allowed => new PolicyDecision.Allowed(["oncall"]);

    private PreparedCommand Prepared(ChatIdentity who, BotCommand command, PolicyDecision decision) =>
        new(AccessWorld.Chat(who), new ParseOutcome(command, null, "(typed)", false), world.Api.Organization, decision, null);
}
