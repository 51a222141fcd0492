using Microsoft.Extensions.DependencyInjection.Extensions;
using PscaleBot.Bot.Chat.Stores;
using PscaleBot.Bot.Persistence.Migrations;
using Microsoft.Extensions.Options;
using PscaleBot.Commands.Rotation;
using PscaleBot.Commands.Stale;

namespace PscaleBot.Bot.Rotation;

/// <summary>Composition of <c>service-token rotate</c>: its durable schedule of deletions and the loop that carries them out.</summary>
public static class TokenRotationExtensions
{
    /// <summary>
    /// Registers the optional stale-token digest (section <c>StaleTokens</c>, <see cref="StaleTokenDigestService"/>), and the rotate command (<see cref="TokenRotationRegistration.AddTokenRotationWorkflow"/>), the scheduled
    /// deletions' store beside the access store (<c>AccessRequests:StorePath</c>, or PostgreSQL by <c>Storage:Provider</c>),
    /// migrated at start, and <see cref="TokenRetirementService"/>. Called by <c>AddAccessRequests()</c>, whose store,
    /// auditor and notifiers it uses.
    /// </summary>
    public static IServiceCollection AddTokenRotation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StaleDigestOptions>().Bind(configuration.GetSection(StaleDigestOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StaleDigestOptions>, StaleDigestOptionsValidator>());
        services.TryAddTransient<StaleTokenFinder>();
        services.TryAddScoped<StaleTokenDigestSender>();
        services.AddHostedService<StaleTokenDigestService>();
        services.AddTokenRotationWorkflow();
        services.TryAddSingleton<ITokenRetirementStore>(sp => new SqlTokenRetirementStore(
            ChatStoreExtensions.Database(sp, TokenRetirementSchema.Engines, sp.GetService<ILogger<SqlTokenRetirementStore>>())));
        services.MigrateAtStartup<ITokenRetirementStore>(ChatStoreExtensions.SqliteSetting);
        services.AddHostedService<TokenRetirementService>();
        return services;
    }
}
