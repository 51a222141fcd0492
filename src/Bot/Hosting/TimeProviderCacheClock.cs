using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Internal;

namespace PscaleBot.Bot.Hosting;

/// <summary>
/// Makes <see cref="IMemoryCache"/> expire entries on the container's <see cref="TimeProvider"/>, so cached
/// data follows the same clock as everything else (and tests move it with a fake clock).
/// </summary>
public static class TimeProviderCacheClock
{
    /// <summary>Adds <see cref="IMemoryCache"/> whose clock is the registered <see cref="TimeProvider"/>.</summary>
    public static IServiceCollection AddMemoryCacheOnTimeProvider(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddMemoryCache();
        services.AddOptions<MemoryCacheOptions>().Configure<TimeProvider>((options, time) => options.Clock = new Clock(time));
        return services;
    }

    private sealed class Clock(TimeProvider time) : ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }
}
