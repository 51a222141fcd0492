using Microsoft.Extensions.Options;

namespace PscaleBot.Bot.Work;

/// <summary>
/// Runs queued work with a fixed number of workers. On shutdown it stops taking work (new work is refused, so
/// callers answer "busy"), finishes what is queued within <see cref="BackgroundWorkOptions.DrainTimeout"/>, and
/// hands whatever is left to the item's abandon step: nothing acknowledged is dropped silently.
/// </summary>
public sealed partial class BackgroundWorkService(
    BackgroundWorkQueue queue,
    IServiceScopeFactory scopes,
    IOptions<BackgroundWorkOptions> options,
    TimeProvider time,
    ILogger<BackgroundWorkService> logger) : IHostedService, IDisposable
{
    /// <summary>How long one abandon step (an audit row and a notice) may take.</summary>
    internal static readonly TimeSpan AbandonBudget = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource drainOver = new();
    private Task workers = Task.CompletedTask;
    private ITimer? drainTimer;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        workers = Task.WhenAll(Enumerable.Range(0, options.Value.Workers).Select(_ => Task.Run(WorkAsync, CancellationToken.None)));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Complete();
        var drain = options.Value.DrainTimeout;
        LogDraining(queue.Waiting, drain);
        drainTimer = time.CreateTimer(_ => EndDrain(), null, drain, Timeout.InfiniteTimeSpan);

        // When the host itself gives up, end the drain at once so the abandon steps still get their turn.
        await using var hostGivesUp = cancellationToken.Register(EndDrain);
        await workers;
        await drainTimer.DisposeAsync();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        drainTimer?.Dispose();
        drainOver.Dispose();
    }

    private void EndDrain()
    {
        try
        {
            drainOver.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The timer fired while the service was being disposed: the drain is over anyway.
        }
    }

    private async Task WorkAsync()
    {
        // Not the stopping token: after Complete() the reader still yields what is queued, then ends.
        await foreach (var item in queue.Reader.ReadAllAsync(CancellationToken.None))
        {
            if (drainOver.IsCancellationRequested)
            {
                await AbandonAsync(item, WorkInterruption.NotStarted);
            }
            else
            {
                await RunOneAsync(item);
            }
        }
    }

    private async Task RunOneAsync(BackgroundWorkItem item)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(drainOver.Token);
        timeout.CancelAfter(options.Value.ItemTimeout);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await item.Run(scope.ServiceProvider, timeout.Token);
        }
        catch (OperationCanceledException) when (drainOver.IsCancellationRequested)
        {
            LogInterrupted(item.Description);
            await AbandonAsync(item, WorkInterruption.Interrupted);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            LogTimedOut(item.Description);
            await AbandonAsync(item, WorkInterruption.TimedOut);
        }
        catch (Exception ex)
        {
            // The item owns its user-facing error reporting; this only keeps the worker alive.
            LogFailed(ex.GetType().Name, item.Description);
        }
    }

    private async Task AbandonAsync(BackgroundWorkItem item, WorkInterruption why)
    {
        if (item.Abandon is null)
        {
            LogNothingToTell(item.Description, why);
            return;
        }

        using var budget = new CancellationTokenSource(AbandonBudget, time);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await item.Abandon(scope.ServiceProvider, why, budget.Token);
        }
        catch (Exception ex)
        {
            LogAbandonFailed(ex.GetType().Name, item.Description);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: no new background work; {Waiting} queued item(s) get up to {DrainTimeout} to finish")]
    private partial void LogDraining(int waiting, TimeSpan drainTimeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Background work '{Description}' timed out")]
    private partial void LogTimedOut(string description);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Background work '{Description}' was still running when the drain time ended")]
    private partial void LogInterrupted(string description);

    [LoggerMessage(Level = LogLevel.Error, Message = "Background work '{Description}' failed with {ExceptionType}")]
    private partial void LogFailed(string exceptionType, string description);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Background work '{Description}' did not finish ({Why}) and has no one to tell")]
    private partial void LogNothingToTell(string description, WorkInterruption why);

    [LoggerMessage(Level = LogLevel.Error, Message = "Telling about unfinished background work '{Description}' failed with {ExceptionType}")]
    private partial void LogAbandonFailed(string exceptionType, string description);
}
