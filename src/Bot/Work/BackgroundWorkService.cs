using Microsoft.Extensions.Options;

namespace PscaleBot.Bot.Work;

/// <summary>
/// Runs queued work as async tasks, as many at once as <see cref="BackgroundWorkQueue"/>'s fair-share rules allow
/// (no fixed worker threads: the work waits on the network, not the CPU). On shutdown it stops taking work (new
/// work is refused, so callers answer "busy"), finishes what is queued within
/// <see cref="BackgroundWorkOptions.DrainTimeout"/>, and hands whatever is left to the item's abandon step: nothing
/// acknowledged is dropped silently.
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

    private readonly DrainDeadline drain = new();
    private Task dispatcher = Task.CompletedTask;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        drain.Token.Register(queue.Wake);
        dispatcher = Task.Run(DispatchAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Complete();
        LogDraining(queue.Waiting, queue.InFlight, options.Value.DrainTimeout);

        // When the host itself gives up, the drain ends at once so the abandon steps still get their turn.
        await using var countdown = drain.Start(options.Value.DrainTimeout, time, cancellationToken);
        await dispatcher;
    }

    /// <inheritdoc />
    public void Dispose() => drain.Dispose();

    private async Task DispatchAsync()
    {
        while (true)
        {
            if (drain.IsOver)
            {
                // What never started is told "nothing was changed", in parallel: the host's patience is one budget.
                var left = queue.TakeAllWaiting();
                var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxConcurrency };
                await Parallel.ForEachAsync(left, parallel, async (work, _) => await AbandonAsync(work.Item, WorkInterruption.NotStarted));
            }

            while (queue.TryTake(out var work, out var owner))
            {
                // Task.Run: an item that computes before its first await must not hold up the next one's start.
                _ = Task.Run(() => RunTrackedAsync(work.Item, owner), CancellationToken.None);
            }

            if (queue.IsDone)
            {
                return;
            }

            await queue.WaitForChangeAsync();
        }
    }

    private async Task RunTrackedAsync(BackgroundWorkItem item, string owner)
    {
        try
        {
            if (drain.IsOver)
            {
                await AbandonAsync(item, WorkInterruption.NotStarted);
            }
            else
            {
                await RunOneAsync(item);
            }
        }
        finally
        {
            queue.Finished(owner);
        }
    }

    private async Task RunOneAsync(BackgroundWorkItem item)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(drain.Token);
        timeout.CancelAfter(options.Value.ItemTimeout);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await item.Run(scope.ServiceProvider, timeout.Token);
        }
        catch (OperationCanceledException) when (drain.IsOver)
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
            // The item owns its user-facing error reporting; this only keeps the queue running.
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: no new background work; {Waiting} queued and {Running} running item(s) get up to {DrainTimeout} to finish")]
    private partial void LogDraining(int waiting, int running, TimeSpan drainTimeout);

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
