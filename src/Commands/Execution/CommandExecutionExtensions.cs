using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PscaleBot.Commands.Results.Rendering;

namespace PscaleBot.Commands.Execution;

/// <summary>Registers the command pipeline and the text renderers.</summary>
public static class CommandExecutionExtensions
{
    /// <summary>
    /// Adds <see cref="ICommandPipeline"/>, the runner, the audit recorder, <see cref="ITextResultRenderer"/>,
    /// <see cref="CommandResponseTextRenderer"/> and the default <see cref="IApprovalGateway"/>
    /// (<see cref="ExplainingApprovalGateway"/>). The pipeline also needs <c>ICommandParser</c>, <c>IHelpText</c>,
    /// <c>IAuthorizationPolicy</c>, <c>IPlanetScaleService</c>, <c>IAuditLog</c> and <c>PlanetScaleOptions</c>,
    /// registered by their own <c>Add…()</c>. The access-request workflow replaces the gateway with
    /// <c>services.Replace(ServiceDescriptor.Scoped&lt;IApprovalGateway, TheirGateway&gt;())</c> (or registers
    /// it before calling this: the default is added only when none is).
    /// </summary>
    public static IServiceCollection AddCommandExecution(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IApprovalGateway, ExplainingApprovalGateway>();
        // Transient: the PlanetScale client is a typed HttpClient, which must not be captured by a singleton.
        services.TryAddTransient<TokenCommandRunner>();
        services.TryAddTransient<CommandAuditRecorder>();
        services.TryAddTransient<ICommandPipeline, CommandPipeline>();
        services.TryAddSingleton<ITextResultRenderer, TextResultRenderer>();
        services.TryAddSingleton<CommandResponseTextRenderer>();
        return services;
    }
}
