using Microsoft.Extensions.DependencyInjection.Extensions;
using PscaleBot.Bot.Chat.Stores;

namespace PscaleBot.Bot.Chat;

/// <summary>Registers the pieces every chat platform shares; each platform's registration calls it.</summary>
public static class ChatExtensions
{
    /// <summary>Adds the delivery ledger (in the stores' database unless another was registered first), the background answer runner and its audit, and the request forms' <see cref="Commands.Access.AccessFormPolicy"/>.</summary>
    public static IServiceCollection AddChatLayer(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddDeliveryLedger();
        services.TryAddSingleton<BackgroundAnswerRunner>();
        services.TryAddSingleton<PendingNotices>();
        services.TryAddSingleton<Commands.Http.DependencyOutages>();
        services.TryAddTransient<AnswerAudit>();
        // One source of request-form choices for every platform: the policy, asked as add-access would be.
        services.TryAddScoped<Commands.Access.AccessFormPolicy>();
        return services;
    }
}
