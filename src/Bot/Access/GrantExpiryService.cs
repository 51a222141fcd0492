using Microsoft.Extensions.Options;
using PscaleBot.Commands.Access;

namespace PscaleBot.Bot.Access;

/// <summary>
/// Revokes grants on time, expires unanswered requests and sends expiry reminders. It sweeps at start (so
/// whatever fell due while the bot was down is handled first), then sleeps until the next due time on the
/// injected <see cref="TimeProvider"/>, waking early when a grant or request is created.
/// </summary>
public sealed partial class GrantExpiryService(
    IServiceScopeFactory scopes,
    AccessWakeSignal wake,
    IOptions<AccessRequestOptions> options,
    TimeProvider time,
    ILogger<GrantExpiryService> logger) : BackgroundService
{
    private static readonly TimeSpan MinimumWait = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan AfterCrashWait = TimeSpan.FromSeconds(30);

    /// <summary>Completed passes (for health and tests).</summary>
    public long CompletedSweeps => Interlocked.Read(ref completedSweeps);

    private long completedSweeps;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var next = await scope.ServiceProvider.GetRequiredService<AccessSweeper>().SweepAsync(stoppingToken);
                wait = WaitUntil(next);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The store or the host failed, not one grant (those are retried inside the sweep): try again soon.
                LogSweepFailed(ex.GetType().Name, ex.Message);
                wait = AfterCrashWait;
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

    private TimeSpan WaitUntil(DateTimeOffset? next)
    {
        var idle = options.Value.MaxIdleWait;
        if (next is null)
        {
            return idle;
        }

        var wait = next.Value - time.GetUtcNow();
        return wait < MinimumWait ? MinimumWait : wait > idle ? idle : wait;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Access sweep failed with {ExceptionType}: {Message}")]
    private partial void LogSweepFailed(string exceptionType, string message);
}

/// <summary>Every <see cref="AccessRequestOptions.ReconcileInterval"/>, compares believed grants with the tokens' real permissions.</summary>
public sealed partial class GrantReconcileService(
    IServiceScopeFactory scopes,
    IOptions<AccessRequestOptions> options,
    TimeProvider time,
    ILogger<GrantReconcileService> logger) : BackgroundService
{
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
                    if (drift.Count > 0)
                    {
                        LogDrift(drift.Count);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogFailed(ex.GetType().Name, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Access reconcile found {Count} difference(s) between grants and real permissions")]
    private partial void LogDrift(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Access reconcile failed with {ExceptionType}: {Message}")]
    private partial void LogFailed(string exceptionType, string message);
}
