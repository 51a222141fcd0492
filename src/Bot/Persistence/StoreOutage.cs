using PscaleBot.Bot.Persistence.Migrations;

namespace PscaleBot.Bot.Persistence;

/// <summary>
/// Whether a store is failing, so its outage is logged once when it starts and once when it ends, however many
/// requests meet it in between (one line per request would bury the logs in the middle of an incident).
/// </summary>
public sealed partial class StoreOutage(string store, ILogger logger)
{
    private int down;

    /// <summary>True while the last use of the store failed.</summary>
    public bool IsDown => Volatile.Read(ref down) == 1;

    /// <summary>A use failed: logs the outage if it is new, and returns the exception callers throw.</summary>
    public StoreUnavailableException Failed(Exception failure)
    {
        var reason = StoreFailure.Reason(failure);
        if (Interlocked.Exchange(ref down, 1) == 0)
        {
            LogOutage(logger, store, reason);
        }

        return new StoreUnavailableException($"The {store} cannot be used: {reason}.", failure);
    }

    /// <summary>A use succeeded: logs the recovery if the store was down.</summary>
    public void Succeeded()
    {
        if (Interlocked.Exchange(ref down, 0) == 1)
        {
            LogRecovered(logger, store);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Store} is unavailable ({Reason}); commands that need it answer that nothing was changed until it works again")]
    private static partial void LogOutage(ILogger logger, string store, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The {Store} works again")]
    private static partial void LogRecovered(ILogger logger, string store);
}
