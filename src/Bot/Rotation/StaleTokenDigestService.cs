using Microsoft.Extensions.Options;
using PscaleBot.Bot.Persistence.Migrations;
using PscaleBot.Commands.Http;
using PscaleBot.Commands.Stale;

namespace PscaleBot.Bot.Rotation;

/// <summary>
/// Every <c>StaleTokens:DigestInterval</c> on the injected <see cref="TimeProvider"/>, sends the stale-token digest to the
/// configured channels (<see cref="StaleTokenDigestSender"/>); idle when none is configured. A failing pass (PlanetScale
/// down) is logged once per outage and the next interval tries again.
/// </summary>
public sealed partial class StaleTokenDigestService(
    IServiceScopeFactory scopes,
    IOptions<StaleDigestOptions> options,
    TimeProvider time,
    ILogger<StaleTokenDigestService> logger) : BackgroundService
{
    private readonly DependencyOutage outage = new(
        "The stale-token digest (PlanetScale)", "the digest is skipped until it works again", logger, time);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.DigestChannels.Count == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.DigestInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var sent = await scope.ServiceProvider.GetRequiredService<StaleTokenDigestSender>().SendAsync(stoppingToken);
                    outage.Succeeded();
                    LogSent(sent ?? 0, options.Value.DigestChannels.Count);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    outage.Failed($"{ex.GetType().Name}: {StoreFailure.Reason(ex)}");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent the stale-token digest ({Count} stale) to {Channels} channel(s)")]
    private partial void LogSent(int count, int channels);
}
