using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PscaleBot.Bot.Hosting;

/// <summary>Work done once at start, before the bot reports ready, so the first command is as fast as the hundredth.</summary>
public interface IStartupWarmup
{
    /// <summary>What is warmed, for the log.</summary>
    string Name { get; }

    /// <summary>Does the work; a failure is logged and does not stop the start (the work is redone on first use).</summary>
    Task WarmAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Runs every <see cref="IStartupWarmup"/> at once when the host starts, and holds the start (and <c>/readyz</c>, which
/// says "warming up" meanwhile) until they are done or <see cref="Limit"/> has passed: readiness means a command
/// is answered at full speed. A step that fails or is too slow is logged; the bot starts anyway and that work
/// happens on first use.
/// </summary>
public sealed partial class StartupWarmupService(
    IEnumerable<IStartupWarmup> steps,
    ILogger<StartupWarmupService> logger) : IHostedService, IHealthCheck
{
    /// <summary>The longest the start waits for warm-up.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    private volatile bool done;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Limit);
        await Task.WhenAll(steps.Select(step => WarmAsync(step, limit.Token)));
        done = true;
        LogWarm(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(done ? HealthCheckResult.Healthy("warm") : HealthCheckResult.Unhealthy("warming up: caches and connections are not ready yet"));

    private async Task WarmAsync(IStartupWarmup step, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            // Off the starting thread: the steps run side by side, whatever each does before its first await.
            await Task.Run(() => step.WarmAsync(cancellationToken), cancellationToken);
            LogStep(step.Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogStepTooSlow(step.Name, Limit.TotalSeconds);
        }
        catch (Exception ex)
        {
            LogStepFailed(step.Name, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Warm-up done in {Milliseconds:0} ms")]
    private partial void LogWarm(double milliseconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Warm-up of {Step} took {Milliseconds:0} ms")]
    private partial void LogStep(string step, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warm-up of {Step} did not finish within {Seconds} s; the bot starts anyway and does it on first use")]
    private partial void LogStepTooSlow(string step, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warm-up of {Step} failed with {ExceptionType}; the bot starts anyway and does it on first use")]
    private partial void LogStepFailed(string step, string exceptionType);
}

/// <summary>Registration of start-up warm-up.</summary>
public static class StartupWarmupExtensions
{
    /// <summary>Registers the warm-up service and its readiness check (idempotent).</summary>
    public static IServiceCollection AddStartupWarmup(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(StartupWarmupService)))
        {
            return services;
        }

        services.AddSingleton<StartupWarmupService>();
        services.AddHostedService(sp => sp.GetRequiredService<StartupWarmupService>());
        services.AddHealthChecks().AddCheck<StartupWarmupService>("warm-up");
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupWarmup, CommandPathWarmup>());
        return services.AddStartupWarmupStep<Rehearsal.CommandRehearsal>();
    }

    /// <summary>Adds <typeparamref name="TStep"/> as a warm-up step (a singleton, also resolvable as itself).</summary>
    public static IServiceCollection AddStartupWarmupStep<TStep>(this IServiceCollection services)
        where TStep : class, IStartupWarmup
    {
        services.AddStartupWarmup();
        services.TryAddSingleton<TStep>();
        services.AddSingleton<IStartupWarmup>(sp => sp.GetRequiredService<TStep>());
        return services;
    }
}
