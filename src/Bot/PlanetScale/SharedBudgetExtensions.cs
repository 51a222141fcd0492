using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using PscaleBot.Bot.Persistence;
using PscaleBot.Bot.Persistence.Migrations;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.PlanetScale.Budget;

namespace PscaleBot.Bot.PlanetScale;

/// <summary>Registers the PlanetScale rate budget shared between replicas.</summary>
public static class SharedBudgetExtensions
{
    /// <summary>
    /// With <c>Storage:Provider=Postgres</c> the <see cref="IPlanetScaleRateBudget"/> becomes a <see cref="SharedRateBudget"/>
    /// on the shared database; otherwise it stays the in-process one. Call after <c>AddPlanetScaleClient</c>.
    /// Binds and validates <see cref="SharedBudgetOptions"/> at start, and makes the shared budget's table at start.
    /// </summary>
    public static IHostApplicationBuilder AddSharedPlanetScaleBudget(this IHostApplicationBuilder builder)
    {
        builder.AddStorage();
        builder.Services.AddOptions<SharedBudgetOptions>()
            .Bind(builder.Configuration.GetSection(SharedBudgetOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.Replace(ServiceDescriptor.Singleton<IPlanetScaleRateBudget>(sp =>
        {
            var limit = Math.Max(sp.GetRequiredService<IOptions<PlanetScaleOptions>>().Value.RequestsPerMinute, 1);
            var time = sp.GetRequiredService<TimeProvider>();
            if (!sp.UsesPostgres())
            {
                return SlidingWindowRateBudget.For(sp.GetRequiredService<IOptions<PlanetScaleOptions>>().Value, time);
            }

            var database = new PostgresDatabase(sp.GetRequiredService<NpgsqlDataSource>(), PlanetScaleBudgetSchema.Postgres, time, sp.GetRequiredService<ILogger<PostgresDatabase>>());
            return new SharedRateBudget(
                new PostgresBudgetCounter(database), limit, sp.GetRequiredService<IOptions<SharedBudgetOptions>>().Value, time, sp.GetRequiredService<ILogger<SharedRateBudget>>(),
                sp.GetRequiredService<IOptions<PlanetScaleOptions>>().Value.UserSharePercent);
        }));

        // Migrated before the bot serves (the in-process budget has no table and is skipped).
        builder.Services.MigrateAtStartup<IPlanetScaleRateBudget>(StorageOptions.ConnectionStringSetting);
        return builder;
    }
}
