using Microsoft.Extensions.DependencyInjection.Extensions;
using PscaleBot.Bot.Chat.Stores;
using PscaleBot.Bot.Persistence.Migrations;

namespace PscaleBot.Bot.Teams.Access;

/// <summary>Registers the Teams state that must outlive a process: conversation references and approval cards.</summary>
internal static class TeamsStoreExtensions
{
    /// <summary>The conversation directory over its store, and the approval-card store, in the chat stores' database.</summary>
    public static IServiceCollection AddTeamsStores(this IServiceCollection services)
    {
        services.TryAddSingleton<ITeamsConversationStore>(sp => new SqlTeamsConversationStore(
            ChatStoreExtensions.Database(sp, TeamsConversationSchema.Schemas, sp.GetService<ILogger<SqlTeamsConversationStore>>()),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ITeamsApprovalCardStore>(sp => new SqlTeamsApprovalCardStore(
            ChatStoreExtensions.Database(sp, TeamsApprovalCardSchema.Schemas, sp.GetService<ILogger<SqlTeamsApprovalCardStore>>()),
            sp.GetRequiredService<TimeProvider>()));
        services.MigrateAtStartup<ITeamsConversationStore>(ChatStoreExtensions.SqliteSetting);
        services.MigrateAtStartup<ITeamsApprovalCardStore>(ChatStoreExtensions.SqliteSetting);
        services.TryAddSingleton<TeamsConversationDirectory>();
        return services;
    }
}
