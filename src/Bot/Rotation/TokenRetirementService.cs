using Microsoft.Extensions.Options;
using PscaleBot.Bot.Persistence.Migrations;
using PscaleBot.Bot.Work;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Http;
using PscaleBot.Commands.Rotation;

namespace PscaleBot.Bot.Rotation;

/// <summary>
/// Deletes rotated-out tokens when their grace ends: sweeps at start (so what fell due while the bot was down goes
/// first), then sleeps on the injected <see cref="TimeProvider"/> until the next one is due, at most
/// <c>AccessRequests:MaxIdleWait</c> (so other replicas' rotations are seen), woken early by a new rotation. A pass that
/// fails (the store or PlanetScale cannot be used) is logged once per outage and retried soon.
/// </summary>
public sealed class TokenRetirementService(
    IServiceScopeFactory scopes,
    TokenRetirementWake wake,
    IOptions<AccessRequestOptions> options,
    TimeProvider time,
    ILogger<TokenRetirementService> logger) : BackgroundService
{
    private static readonly TimeSpan AfterFailureWait = TimeSpan.FromSeconds(30);

    private readonly DependencyOutage outage = new(
        "The deletion of rotated-out tokens (AccessRequests:StorePath and PlanetScale)", "old tokens outlive their grace period meanwhile", logger, time)
    {
        FailureLevel = LogLevel.Error,
    };

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var next = await scope.ServiceProvider.GetRequiredService<TokenRetirementSweeper>().SweepAsync(stoppingToken);
                outage.Succeeded();
                wait = SweepWait.Until(next, options.Value.MaxIdleWait, time);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                outage.Failed($"{ex.GetType().Name}: {StoreFailure.Reason(ex)}");
                wait = AfterFailureWait;
            }

            try
            {
                await wake.WaitAsync(wait, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
