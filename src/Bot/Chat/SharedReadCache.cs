using System.Collections.Concurrent;
using PscaleBot.Commands.Http;

namespace PscaleBot.Bot.Chat;

/// <summary>
/// Values per key read from a chat platform's directory (Slack user groups, Entra groups), kept while fresh.
/// Concurrent lookups of a key share one read. A failed read keeps the last known value, or none, and the
/// directory is not asked again for that key until a back-off has passed; the outage is logged once, not per lookup.
/// </summary>
/// <typeparam name="TValue">What one read gives for a key.</typeparam>
public abstract class SharedReadCache<TValue> : IDisposable
    where TValue : class
{
    /// <summary>How long a key is not read again after a failure, unless the directory asks for longer.</summary>
    protected static readonly TimeSpan FailureBackoff = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Entry> entries;
    private readonly TimeProvider time;
    private readonly DependencyOutage outage;

    // Reads are shared by every waiter, so no one caller's token may cancel them; disposal does.
    private readonly CancellationTokenSource stopping = new();

    /// <summary>Creates the cache.</summary>
    /// <param name="time">The clock for freshness and back-off.</param>
    /// <param name="outage">Where a failing directory is reported, once per outage.</param>
    /// <param name="keyComparer">How keys compare.</param>
    protected SharedReadCache(TimeProvider time, DependencyOutage outage, StringComparer keyComparer)
    {
        this.time = time;
        this.outage = outage;
        entries = new ConcurrentDictionary<string, Entry>(keyComparer);
    }

    /// <summary>The keys looked up so far.</summary>
    protected IReadOnlyCollection<string> Keys => [.. entries.Keys];

    /// <summary>How long a value read now stays fresh.</summary>
    protected abstract TimeSpan FreshFor { get; }

    /// <summary>Stops reads under way.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Reads <paramref name="key"/>'s value from the directory.</summary>
    protected abstract Task<TValue> ReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>What went wrong, for the outage log (never a message that may quote a secret).</summary>
    protected abstract string DescribeFailure(string key, Exception exception);

    /// <summary>What to log when a caller's time budget ran out before the read answered.</summary>
    protected abstract string DescribeTimeout(string key);

    /// <summary>How long to wait before reading <paramref name="exception"/>'s key again.</summary>
    protected virtual TimeSpan RetryIn(Exception exception) => FailureBackoff;

    /// <summary>
    /// <paramref name="key"/>'s value: at once while fresh, else after a read shared with every concurrent caller
    /// (none while backing off after a failure); then the last known value, or null when none was ever read.
    /// </summary>
    /// <exception cref="OperationCanceledException">The caller's budget ran out first; the read goes on.</exception>
    protected async Task<TValue?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var entry = entries.GetOrAdd(key, _ => new Entry());
        Task? read;
        lock (entry)
        {
            var now = time.GetUtcNow();
            if (entry.Value is { } fresh && now < entry.FreshUntil)
            {
                return fresh;
            }

            // The directory failed a moment ago: answer from what is known instead of asking again on every command.
            read = now < entry.RetryAt ? null : StartOrJoin(key, entry);
        }

        if (read is not null)
        {
            try
            {
                await read.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // A hung or rate-limited directory is an outage too, not only the errors that come back.
                outage.Failed(DescribeTimeout(key));
                throw;
            }
        }

        return LastKnownValue(key);
    }

    /// <summary>The last value read for <paramref name="key"/>, however old; null when none was ever read.</summary>
    protected TValue? LastKnownValue(string key) =>
        entries.TryGetValue(key, out var entry) ? Volatile.Read(ref entry.Value) : null;

    /// <summary>Reads <paramref name="key"/> again now, or joins the read under way; never throws for a directory failure.</summary>
    protected Task RefreshValueAsync(string key, CancellationToken cancellationToken)
    {
        var entry = entries.GetOrAdd(key, _ => new Entry());
        lock (entry)
        {
            return StartOrJoin(key, entry).WaitAsync(cancellationToken);
        }
    }

    /// <summary>Stops reads under way.</summary>
    /// <param name="disposing">True from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            stopping.Cancel();
            stopping.Dispose();
        }
    }

    // Called under the entry's lock. Task.Run: the read never completes inside this lock, so its own clean-up (which
    // takes the lock) runs after InFlight is set, and it does not carry the first caller's execution context.
    private Task StartOrJoin(string key, Entry entry) =>
        entry.InFlight ??= Task.Run(() => ReadIntoAsync(key, entry), CancellationToken.None);

    private async Task ReadIntoAsync(string key, Entry entry)
    {
        try
        {
            var value = await ReadAsync(key, stopping.Token);
            lock (entry)
            {
                Volatile.Write(ref entry.Value, value);
                entry.FreshUntil = time.GetUtcNow() + FreshFor;
                entry.RetryAt = DateTimeOffset.MinValue;
            }

            outage.Succeeded();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            // Keep serving the last known value if there is one; otherwise the key has none for a while.
            outage.Failed(DescribeFailure(key, ex));
            var retryIn = RetryIn(ex);
            lock (entry)
            {
                entry.RetryAt = time.GetUtcNow() + retryIn;
            }
        }
        finally
        {
            lock (entry)
            {
                entry.InFlight = null;
            }
        }
    }

    /// <summary>One key's value; fields guarded by locking the instance.</summary>
    private sealed class Entry
    {
        public TValue? Value;
        public DateTimeOffset FreshUntil = DateTimeOffset.MinValue;
        public DateTimeOffset RetryAt = DateTimeOffset.MinValue;
        public Task? InFlight;
    }
}
