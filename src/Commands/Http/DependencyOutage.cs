using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PscaleBot.Commands.Http;

/// <summary>
/// Whether one dependency (the Slack Web API, a store, …) works, so that its failure is logged once per outage and
/// its recovery once, instead of once per request or per interval: 2,000 failing requests must not write 2,000
/// warnings. The first failure of an outage is logged at <see cref="FailureLevel"/>; further failures of the same
/// outage at Debug (still there with <c>--debug</c>); the first success after it at Information. Thread-safe.
/// </summary>
/// <param name="dependency">What failed, as the operator names it (<c>the Slack Web API (usergroups.list)</c>).</param>
/// <param name="consequence">What the bot does meanwhile, as a clause (<c>group bindings do not apply</c>).</param>
/// <param name="logger">Where the lines go.</param>
/// <param name="time">The clock the outage's start is read from.</param>
public sealed partial class DependencyOutage(string dependency, string consequence, ILogger logger, TimeProvider time)
{
    private readonly Lock gate = new();
    private DateTimeOffset? since;
    private long failures;
    private string? reason;

    /// <summary>The level of the line that opens an outage; Warning unless the bot is crippled (Error).</summary>
    public LogLevel FailureLevel { get; init; } = LogLevel.Warning;

    /// <summary>The reason of the last failure while down; null while the dependency works.</summary>
    public string? Reason
    {
        get
        {
            lock (gate)
            {
                return since is null ? null : reason;
            }
        }
    }

    /// <summary>When the current outage began; null while the dependency works.</summary>
    public DateTimeOffset? Since
    {
        get
        {
            lock (gate)
            {
                return since;
            }
        }
    }

    /// <summary>True while the last call failed.</summary>
    public bool IsDown
    {
        get
        {
            lock (gate)
            {
                return since is not null;
            }
        }
    }

    /// <summary>Records a failure with its reason (an error code or a sentence, never a secret); true when it opened an outage.</summary>
    public bool Failed(string reason)
    {
        bool opened;
        long count;
        lock (gate)
        {
            this.reason = reason;
            opened = since is null;
            since ??= time.GetUtcNow();
            count = ++failures;
        }

        if (opened)
        {
            LogDown(logger, FailureLevel, dependency, reason, consequence);
        }
        else
        {
            LogStillDown(logger, dependency, reason, count);
        }

        return opened;
    }

    /// <summary>Records a success; true when it closed an outage (logged once, with how long it lasted and how many calls failed).</summary>
    public bool Succeeded()
    {
        DateTimeOffset? was;
        long count;
        lock (gate)
        {
            was = since;
            count = failures;
            since = null;
            failures = 0;
        }

        if (was is { } start)
        {
            LogBack(logger, dependency, time.GetUtcNow() - start, count);
            return true;
        }

        return false;
    }

    [LoggerMessage(EventId = 9100, Message = "{Dependency} fails ({Reason}): {Consequence}. Logged once until it works again.")]
    private static partial void LogDown(ILogger logger, LogLevel level, string dependency, string reason, string consequence);

    [LoggerMessage(EventId = 9101, Level = LogLevel.Debug, Message = "{Dependency} still fails ({Reason}); {Count} failed call(s) in this outage")]
    private static partial void LogStillDown(ILogger logger, string dependency, string reason, long count);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Information, Message = "{Dependency} works again after {Duration} and {Count} failed call(s)")]
    private static partial void LogBack(ILogger logger, string dependency, TimeSpan duration, long count);
}

/// <summary>
/// One <see cref="DependencyOutage"/> per dependency for the whole process, for callers that do not live as long as
/// the outage (transient clients and senders, scoped handlers). A singleton; see <see cref="DependencyOutage"/>.
/// </summary>
public sealed class DependencyOutages(ILoggerFactory loggers, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DependencyOutage> outages = new(StringComparer.Ordinal);

    /// <summary>The tracker of <paramref name="dependency"/>, created on first use with a logger of <paramref name="category"/>.</summary>
    public DependencyOutage For(string dependency, string consequence, string category, LogLevel failureLevel = LogLevel.Warning) =>
        outages.GetOrAdd(dependency, name => new DependencyOutage(name, consequence, loggers.CreateLogger(category), time) { FailureLevel = failureLevel });
}
