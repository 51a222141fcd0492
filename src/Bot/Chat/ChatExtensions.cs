using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PscaleBot.Bot.Chat;

/// <summary>Registers the pieces every chat platform shares; each platform's registration calls it.</summary>
public static class ChatExtensions
{
    /// <summary>Adds the delivery ledger (in memory unless a store-backed one was registered first), the background answer runner and its audit.</summary>
    public static IServiceCollection AddChatLayer(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IDeliveryLedger, InMemoryDeliveryLedger>();
        services.TryAddSingleton<BackgroundAnswerRunner>();
        services.TryAddSingleton<PendingNotices>();
        services.TryAddSingleton<Commands.Http.DependencyOutages>();
        services.TryAddTransient<AnswerAudit>();
        return services;
    }
}
