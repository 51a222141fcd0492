using Microsoft.Extensions.DependencyInjection.Extensions;
using PscaleBot.Bot.Hosting;

namespace PscaleBot.Bot.Slack.Identity;

/// <summary>Composition of the Slack user-group directory and its background refresh.</summary>
public static class SlackIdentityExtensions
{
    /// <summary>
    /// Registers <see cref="ISlackUserGroupDirectory"/>, read before the bot reports ready and refreshed in the
    /// background (<see cref="SlackUserGroupRefresher"/>).
    /// </summary>
    public static IServiceCollection AddSlackUserGroups(this IServiceCollection services)
    {
        services.TryAddSingleton<ISlackUserGroupDirectory, SlackUserGroupDirectory>();
        services.AddStartupWarmupStep<SlackUserGroupRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<SlackUserGroupRefresher>());
        return services;
    }
}
