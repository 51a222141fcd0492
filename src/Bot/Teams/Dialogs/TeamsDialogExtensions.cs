using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PscaleBot.Bot.Teams.Dialogs;

/// <summary>Composition of the Teams access request dialog.</summary>
internal static class TeamsDialogExtensions
{
    /// <summary>Registers the form's choices (tokens and the time budget over the policy's choices, which the chat layer registers) and the <c>task/fetch</c> / <c>task/submit</c> handler.</summary>
    public static IServiceCollection AddTeamsDialogs(this IServiceCollection services)
    {
        services.TryAddScoped<DialogChoiceSource>();
        services.TryAddScoped<TeamsDialogEndpoint>();
        return services;
    }
}
