using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;

namespace PscaleBot.Commands.Rotation;

/// <summary>Registers <c>service-token rotate</c> and the sweeper that deletes rotated-out tokens.</summary>
public static class TokenRotationRegistration
{
    /// <summary>
    /// Adds the rotate handler, <see cref="GrantCopy"/>, <see cref="RotationCancellation"/> and <see cref="TokenRetirementSweeper"/>
    /// (scoped, as the PlanetScale client and policy may be). The host adds a durable <see cref="ITokenRetirementStore"/>,
    /// the access store, auditor and notifiers; without this call <c>rotate</c> answers that it cannot be run here.
    /// </summary>
    public static IServiceCollection AddTokenRotationWorkflow(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TokenRetirementWake>();
        services.TryAddScoped<GrantCopy>();
        services.TryAddScoped<RotationCancellation>();
        services.TryAddScoped<TokenRetirementSweeper>();
        services.TryAddCommandHandler<RotateTokenCommand, RotateTokenHandler>(ServiceLifetime.Scoped);
        return services;
    }
}
