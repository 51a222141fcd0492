using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PscaleBot.Bot.Work;

/// <summary>Registers the background work queue.</summary>
public static class BackgroundWorkExtensions
{
    /// <summary>Adds the fair-share queue and the hosted service that runs it.</summary>
    public static IHostApplicationBuilder AddBackgroundWork(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(BackgroundWorkOptions.SectionName);
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<BackgroundWorkOptions>()
            .Bind(section)
            .ValidateDataAnnotations()
            .Validate(
                _ => section["Workers"] is null && section["Capacity"] is null,
                "BackgroundWork:Workers and BackgroundWork:Capacity are no longer read: use BackgroundWork:MaxConcurrency " +
                "(work running at once, default 256) and BackgroundWork:QueueLimit (work waiting, default 10000).")
            .ValidateOnStart();
        builder.Services.AddSingleton<BackgroundWorkQueue>();
        builder.Services.AddSingleton<IBackgroundWorkQueue>(sp => sp.GetRequiredService<BackgroundWorkQueue>());
        builder.Services.AddHostedService<BackgroundWorkService>();

        // The host must wait for the drain (and the notices after it) before it gives up on stopping.
        var drain = section.GetValue<TimeSpan?>(nameof(BackgroundWorkOptions.DrainTimeout)) ?? new BackgroundWorkOptions().DrainTimeout;
        builder.Services.Configure<HostOptions>(host =>
        {
            var needed = drain + BackgroundWorkService.AbandonBudget;
            if (host.ShutdownTimeout < needed && drain > TimeSpan.Zero && drain <= TimeSpan.FromMinutes(10))
            {
                host.ShutdownTimeout = needed;
            }
        });
        return builder;
    }
}
