using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PscaleBot.Bot.Access;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Access.Handlers;
using PscaleBot.Commands.Access.OnCall;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Policy;
using PscaleBot.Commands.Results;

namespace PscaleBot.Bot.Tests.Access;

/// <summary>The access workflow's handlers once access requests are on: what they run, break-glass through them, and their registration.</summary>
public sealed class AccessWorkflowRegistrationTests
{
    private readonly AccessWorld world = new(new InMemoryAccessStore());

    [Fact]
    public async Task An_approval_gated_grant_becomes_a_pending_request_and_nothing_is_granted()
    {
        var response = await world.RunAsync(
            AccessWorld.Alice, AccessWorld.AddAccess("prod", TimeSpan.FromHours(1), "INC-7"), new PolicyDecision.NeedsApproval(["oncall"], world.Policy.Requirement));

        Assert.False(response.Failed);
        Assert.Single(await world.Store.ListPendingRequestsAsync(default));
        Assert.Single(world.Audit.Transitions(AccessTransitions.Requested));
        Assert.False(world.Holds());
    }

    [Fact]
    public async Task Access_commands_run_through_their_handlers()
    {
        var id = (await world.RequestAsync(AccessWorld.Alice)).Request!.Id;

        var approve = await world.RunAsync(AccessWorld.Bob, new AccessApproveCommand(CommonOptions.Default, id), Allowed);
        var list = await world.RunAsync(AccessWorld.Bob, new AccessListCommand(CommonOptions.Default), Allowed);

        Assert.False(approve.Failed);
        Assert.True(world.Holds());
        Assert.Equal(AccessListRowKind.Grant, Assert.Single(Assert.IsType<AccessListResult>(Assert.Single(list.Results)).Rows).Kind);
    }

    [Fact]
    public async Task Break_glass_the_policy_allowed_is_granted_audited_as_break_glass_and_announced_to_the_rules_approvers()
    {
        // The policy answers Allowed to a break-glass add-access its rule permits; the rule behind it is found again.
        var response = await world.RunAsync(AccessWorld.Alice, AccessWorld.AddAccess("prod", TimeSpan.FromHours(1), "INC-9 primary down", breakGlass: true), Allowed);

        Assert.False(response.Failed);
        Assert.True(world.Holds());
        var grant = Assert.Single(await world.Store.ListActiveGrantsAsync(default));
        Assert.True(grant.BreakGlass);
        Assert.Equal(world.Policy.Requirement, grant.Requirement);
        Assert.Single(world.Audit.Transitions(AccessTransitions.BreakGlass));
        Assert.Empty(world.Audit.Transitions(AccessTransitions.Granted));
        var alert = Assert.Single(world.Notices.Of<AccessAlert>());
        Assert.Equal(AccessAlertKind.BreakGlass, alert.Kind);
        Assert.Equal(world.Policy.Requirement.Approvers, alert.Approvers);
    }

    [Fact]
    public async Task Break_glass_under_a_role_without_an_approval_rule_is_an_ordinary_time_bound_grant()
    {
        world.Policy.TrustedUsers.Add(AccessWorld.Carol.UserId);

        var response = await world.RunAsync(AccessWorld.Carol, AccessWorld.AddAccess("prod", TimeSpan.FromHours(1), "INC-9", breakGlass: true), Allowed);

        Assert.False(response.Failed);
        Assert.True(world.Holds());
        Assert.Single(world.Audit.Transitions(AccessTransitions.Granted));
        Assert.Empty(world.Notices.Of<AccessAlert>());
    }

    [Fact]
    public async Task Break_glass_without_a_reason_is_refused_and_grants_nothing()
    {
        var response = await world.RunAsync(AccessWorld.Alice, AccessWorld.AddAccess("prod", TimeSpan.FromHours(1), null, breakGlass: true), Allowed);

        Assert.Contains("reason", Assert.IsType<ErrorResult>(Assert.Single(response.Results)).Message, StringComparison.Ordinal);
        Assert.False(world.Holds());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Access_requests_replace_the_explaining_handlers_whichever_is_registered_first(bool coreFirst)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["AccessRequests:StorePath"] = ":memory:" });
        if (coreFirst)
        {
            builder.Services.AddCommandExecution();
            builder.AddAccessRequests();
        }
        else
        {
            builder.AddAccessRequests();
            builder.Services.AddCommandExecution();
        }

        foreach (var key in AccessKeys)
        {
            var descriptor = Assert.Single(builder.Services, d => d.IsKeyedService && Equals(d.ServiceKey, key));
            Assert.Equal(ServiceLifetime.Scoped, descriptor.Lifetime);
        }

        AddWorldServices(builder);
        await using var provider = builder.Services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var handlers = scope.ServiceProvider.GetRequiredService<CommandHandlers>();
        var list = await handlers.RunAsync(new AccessListCommand(CommonOptions.Default), new CommandContext(AccessWorld.Chat(AccessWorld.Bob), world.Api.Organization, Allowed), default);
        Assert.IsType<AccessListResult>(Assert.Single(list.Results));
    }

    [Fact]
    public void The_handlers_resolve_in_a_scope_of_a_real_host()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AccessRequests:StorePath"] = Path.Combine(Path.GetTempPath(), "pscale-handlers-" + Guid.NewGuid().ToString("N"), "access.db"),
        });
        AddWorldServices(builder);
        builder.AddAccessRequests();
        using var host = builder.Build();
        using var scope = host.Services.CreateScope();

        Assert.IsType<AccessRequestHandler>(scope.ServiceProvider.GetRequiredService<AccessRequestHandler>());
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<AccessExtendHandler>());
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<GrantRequests>());
    }

    [Theory]
    [InlineData(false, typeof(FirstOnCallRoster))]
    [InlineData(true, typeof(ScheduleFileOnCallRoster))]
    public void The_roster_is_the_configured_file_else_the_policy_files_schedule_then_its_on_call_services(bool rosterPathSet, Type expected)
    {
        var directory = Directory.CreateTempSubdirectory("pscale-roster-composition-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "oncall.yaml"), "[]");
            File.WriteAllText(Path.Combine(directory, "policy.yaml"), "oncall:\n  schedule: oncall.yaml\nroles:\n  viewer:\n    commands: [list]\nbindings:\n  - { where: shell, who: \"*\", roles: [viewer] }\n");
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Policy:Path"] = Path.Combine(directory, "policy.yaml"),
                ["AccessRequests:StorePath"] = Path.Combine(directory, "access.db"),
                ["AccessRequests:RosterPath"] = rosterPathSet ? Path.Combine(directory, "oncall.yaml") : null,
            });
            builder.Services.AddSingleton<IPlanetScaleService>(world.Api);
            builder.Services.AddSingleton<IAuditLog>(world.Audit);
            builder.Services.AddAuthorizationPolicy(builder.Configuration);
            builder.AddAccessRequests();
            using var host = builder.Build();

            Assert.IsType(expected, host.Services.GetRequiredService<IOnCallRoster>());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static PolicyDecision Allowed => new PolicyDecision.Allowed(["oncall"]);

    private static readonly object[] AccessKeys =
    [
        CommandRoutes.AccessRequest, typeof(AccessListCommand), typeof(AccessApproveCommand), typeof(AccessDenyCommand),
        typeof(AccessRevokeCommand), typeof(AccessExtendCommand), typeof(AccessCancelCommand),
    ];

    private void AddWorldServices(HostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TimeProvider>(world.Time);
        builder.Services.AddSingleton<IPlanetScaleService>(world.Api);
        builder.Services.AddSingleton<IAuthorizationPolicy>(world.Policy);
        builder.Services.AddSingleton<IAuditLog>(world.Audit);
    }
}
