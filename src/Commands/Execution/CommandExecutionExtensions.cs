using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PscaleBot.Commands.Execution.Handlers;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Results.Rendering;
using PscaleBot.Commands.Stale;

namespace PscaleBot.Commands.Execution;

/// <summary>Registers the command pipeline, one handler per command, and the text renderers.</summary>
public static class CommandExecutionExtensions
{
    /// <summary>
    /// Adds <see cref="ICommandPipeline"/>, <see cref="CommandHandlers"/> with one <see cref="ICommandHandler{TCommand}"/>
    /// per <c>service-token</c> sub-command and <c>audit</c>, the audit recorder, <see cref="ITextResultRenderer"/> and
    /// <see cref="CommandResponseTextRenderer"/>. The access-request workflow's commands (<see cref="CommandRoutes.AccessRequest"/>
    /// and the <c>access …</c> verbs) are answered by <see cref="AccessWorkflowOffHandler"/> until the workflow replaces
    /// them with <see cref="CommandHandlerRegistration.ReplaceCommandHandler{TCommand, THandler}"/>, before or after this call.
    /// The pipeline also needs <c>ICommandParser</c>, <c>IHelpText</c>, <c>IAuthorizationPolicy</c>, <c>IPlanetScaleService</c>,
    /// <c>IAuditLog</c> and <c>PlanetScaleOptions</c>, registered by their own <c>Add…()</c>.
    /// </summary>
    public static IServiceCollection AddCommandExecution(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        // Transient: the PlanetScale client is a typed HttpClient, which must not be captured by a singleton.
        services.TryAddTransient<CommandHandlers>();
        services.TryAddTransient<DatabaseSuggestions>();
        services.TryAddCommandHandler<CreateTokenCommand, CreateTokenHandler>();
        services.TryAddCommandHandler<ListTokensCommand, ListTokensHandler>();
        services.TryAddCommandHandler<ShowTokenCommand, ShowTokenHandler>();
        services.TryAddCommandHandler<DeleteTokenCommand, DeleteTokenHandler>();
        services.TryAddCommandHandler<AddAccessCommand, AddAccessHandler>();
        services.TryAddCommandHandler<DeleteAccessCommand, DeleteAccessHandler>();
        services.TryAddCommandHandler<ShowAccessCommand, ShowAccessHandler>();
        services.TryAddCommandHandler<AuditCommand, AuditHandler>();
        services.TryAddCommandHandler<AuditVerifyCommand, AuditVerifyHandler>();
        services.TryAddCommandHandler<PlanetScaleAuditCommand, PlanetScaleAuditHandler>();
        services.TryAddTransient<StaleTokenFinder>();
        services.TryAddCommandHandler<StaleTokensCommand, StaleTokensHandler>();
        services.AddAccessWorkflowOff();
        services.TryAddSingleton<Http.DependencyOutages>();
        services.TryAddTransient<CommandAuditRecorder>();
        services.TryAddTransient<ICommandPipeline, CommandPipeline>();
        services.TryAddSingleton<ITextResultRenderer, TextResultRenderer>();
        services.TryAddSingleton<CommandResponseTextRenderer>();
        return services;
    }

    // Try-added: whichever of this and the access workflow's registration runs first, the workflow's handlers win.
    private static void AddAccessWorkflowOff(this IServiceCollection services)
    {
        services.TryAddCommandHandler<BotCommand, AccessWorkflowOffHandler>(key: CommandRoutes.AccessRequest);
        services.TryAddCommandHandler<AccessListCommand, AccessWorkflowOffHandler>();
        services.TryAddCommandHandler<AccessApproveCommand, AccessWorkflowOffHandler>();
        services.TryAddCommandHandler<AccessDenyCommand, AccessWorkflowOffHandler>();
        services.TryAddCommandHandler<AccessRevokeCommand, AccessWorkflowOffHandler>();
        services.TryAddCommandHandler<AccessExtendCommand, AccessWorkflowOffHandler>();
        services.TryAddCommandHandler<AccessCancelCommand, AccessWorkflowOffHandler>();
    }
}
