using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PscaleBot.Commands.Access.Handlers;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;

namespace PscaleBot.Commands.Access;

/// <summary>Registers the access-request use cases and their command handlers.</summary>
public static class AccessWorkflowRegistration
{
    /// <summary>
    /// Adds the use cases (<see cref="GrantRequests"/>, <see cref="RequestSettlement"/>, <see cref="GrantChanges"/>,
    /// <see cref="AccessListing"/>) and puts their handlers in place of the explaining defaults for
    /// <see cref="CommandRoutes.AccessRequest"/> and each <c>access …</c> verb, whether <c>AddCommandExecution()</c>
    /// ran before or runs after. Scoped: the PlanetScale client and the policy may be scoped or transient. The store,
    /// id generator, grantor, auditor, notifier dispatcher and roster are registered by the host.
    /// </summary>
    public static IServiceCollection AddAccessWorkflow(this IServiceCollection services)
    {
        services.TryAddScoped<RequestFiling>();
        services.TryAddScoped<GrantReporter>();
        services.TryAddScoped<GrantExtension>();
        services.TryAddScoped<GrantRequests>();
        services.TryAddScoped<RequestSettlement>();
        services.TryAddScoped<GrantChanges>();
        services.TryAddScoped<AccessListing>();
        services.TryAddScoped<PersonalAccessReader>();

        const ServiceLifetime scoped = ServiceLifetime.Scoped;
        services.ReplaceCommandHandler<BotCommand, AccessRequestHandler>(scoped, CommandRoutes.AccessRequest);
        services.ReplaceCommandHandler<AccessListCommand, AccessListHandler>(scoped);
        services.ReplaceCommandHandler<AccessApproveCommand, AccessApproveHandler>(scoped);
        services.ReplaceCommandHandler<AccessDenyCommand, AccessDenyHandler>(scoped);
        services.ReplaceCommandHandler<AccessCancelCommand, AccessCancelHandler>(scoped);
        services.ReplaceCommandHandler<AccessRevokeCommand, AccessRevokeHandler>(scoped);
        services.ReplaceCommandHandler<AccessExtendCommand, AccessExtendHandler>(scoped);
        return services;
    }
}
