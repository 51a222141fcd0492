using Microsoft.Extensions.Options;
using PscaleBot.Bot.Persistence.Migrations;
using PscaleBot.Bot.Work;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Http;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Bot.Access;

/// <summary>
/// Revokes grants on time, expires unanswered requests and sends expiry reminders. It sweeps at start (so
/// whatever fell due while the bot was down is handled first), then sleeps until the next due time on the
/// injected <see cref="TimeProvider"/>, waking early when a grant or request is created.
/// When a pass fails (the store cannot be used), that is surfaced like a failing revoke: <see cref="AccessSweepHealth"/>
/// makes <c>/readyz</c> unhealthy with the reason, and the first failure is logged as an error and alerted to the
/// approvers' channels; later failures of the same run are quiet, and the recovery is logged once.
/// On stop it claims nothing more; the revoke under way gets <see cref="RevokeDrain"/> (less when the host gives up
/// sooner) to finish, and is then cancelled and its claim handed back, so another replica revokes the grant at once.
/// </summary>
public sealed partial class GrantExpiryService(
    IServiceScopeFactory scopes,
    AccessWakeSignal wake,
    IOptions<AccessRequestOptions> options,
    TimeProvider time,
    ILogger<GrantExpiryService> logger,
    AccessSweepHealth? health = null) : BackgroundService
{
    private static readonly TimeSpan AfterCrashWait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a revoke under way may go on once the bot is stopping. A revoke is a read and a delete at PlanetScale,
    /// seconds when it answers; one still waiting after this is better left to a replica that is not stopping. Short,
    /// because this service stops before the background work drains (it is registered after it).
    /// </summary>
    public static readonly TimeSpan RevokeDrain = TimeSpan.FromSeconds(5);

    private readonly DrainDeadline drain = new();

    /// <summary>Completed passes (for health and tests).</summary>
    public long CompletedSweeps => Interlocked.Read(ref completedSweeps);

    private long completedSweeps;
    private readonly AccessSweepHealth sweepHealth = health ?? new AccessSweepHealth();

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var next = await scope.ServiceProvider.GetRequiredService<AccessSweeper>().SweepAsync(stoppingToken, drain.Token);
                await scope.ServiceProvider.GetRequiredService<IAccessStore>().ProbeWritableAsync(stoppingToken);
                wait = SweepWait.Until(next, options.Value.MaxIdleWait, time);
                if (sweepHealth.Succeeded())
                {
                    LogSweepRecovered();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested || drain.IsOver)
            {
                return;
            }
            catch (Exception ex)
            {
                // The store or the host failed, not one grant (those are retried inside the sweep): try again soon.
                wait = AfterCrashWait;
                if (sweepHealth.Failed(StoreFailure.Reason(ex), time.GetUtcNow()))
                {
                    var failure = sweepHealth.Failure!;
                    LogSweepFailing(failure.Sentence, ex.GetType().Name);
                    await AlertApproversAsync(failure, stoppingToken);
                }
                else
                {
                    LogSweepStillFailing(ex.GetType().Name, ex.Message);
                }
            }

            Interlocked.Increment(ref completedSweeps);
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

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await using var countdown = drain.Start(RevokeDrain, time, cancellationToken);
        await base.StopAsync(cancellationToken);
        if (ExecuteTask is { IsCompleted: false } handingBack)
        {
            // The host gave up first: the claim is being handed back (bounded by AccessSweeper.ReleaseBudget).
            await Task.WhenAny(handingBack, Task.Delay(AccessSweeper.ReleaseBudget, time, CancellationToken.None));
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        drain.Dispose();
        base.Dispose();
    }

    // Where approvers look: every request channel of the policy's approval rules. Without one, the log and /readyz tell.
    private async Task AlertApproversAsync(SweepFailure failure, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            if (scope.ServiceProvider.GetService<PolicyStore>() is not { } policy)
            {
                return;
            }

            var requirements = policy.Current.Document.Roles.Select(r => r.Approval?.Requirement).OfType<ApprovalRequirement>().ToList();
            var audiences = requirements
                .SelectMany(r => r.RequestChannels.Where(c => !string.IsNullOrWhiteSpace(c.Value)).Select(c => AccessAudience.Channel(c.Key, c.Value)))
                .Distinct();
            var dispatcher = scope.ServiceProvider.GetRequiredService<AccessNotificationDispatcher>();
            foreach (var audience in audiences)
            {
                var approvers = requirements
                    .Where(r => r.RequestChannels.TryGetValue(audience.Platform, out var channel) && channel == audience.ConversationId)
                    .SelectMany(r => r.Approvers).Distinct(StringComparer.Ordinal).ToList();
                await dispatcher.SendAsync(
                    new AccessAlert(audience, failure.Sentence + " Grants that fall due keep their permissions: revoke them by hand with delete-access if it lasts.",
                        AccessAlertKind.RevokeFailing, approvers, null),
                    cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogAlertFailed(ex.GetType().Name, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Sentence} ({ExceptionType})")]
    private partial void LogSweepFailing(string sentence, string exceptionType);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Access sweep still failing with {ExceptionType}: {Message}")]
    private partial void LogSweepStillFailing(string exceptionType, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "The access store works again: the access sweep revokes time-bound grants on time")]
    private partial void LogSweepRecovered();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alerting approvers that the access sweep fails did not work: {ExceptionType}: {Message}")]
    private partial void LogAlertFailed(string exceptionType, string message);
}

/// <summary>
/// Every <see cref="AccessRequestOptions.ReconcileInterval"/>, compares believed grants with the tokens' real permissions.
/// A failing pass (the store or PlanetScale cannot be used) is logged once per outage, not every interval, and the
/// first pass that works again says so.
/// </summary>
public sealed partial class GrantReconcileService(
    IServiceScopeFactory scopes,
    IOptions<AccessRequestOptions> options,
    TimeProvider time,
    ILogger<GrantReconcileService> logger) : BackgroundService
{
    private readonly DependencyOutage outage = new(
        "The access reconcile (AccessRequests:StorePath and PlanetScale)", "drift between grants and real permissions is not reported meanwhile", logger, time)
    {
        FailureLevel = LogLevel.Error,
    };

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReconcileInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var drift = await scope.ServiceProvider.GetRequiredService<AccessReconciler>().ReconcileAsync(stoppingToken);
                    outage.Succeeded();
                    if (drift.Count > 0)
                    {
                        LogDrift(drift.Count);
                    }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Access reconcile found {Count} difference(s) between grants and real permissions")]
    private partial void LogDrift(int count);
}
