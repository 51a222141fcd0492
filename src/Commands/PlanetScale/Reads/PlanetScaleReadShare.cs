using Microsoft.Extensions.Options;
using PscaleBot.Commands.PlanetScale.Budget;

namespace PscaleBot.Commands.PlanetScale.Reads;

/// <summary>
/// Shares reads: identical reads in flight make one call, and an answer is reused for
/// <see cref="PlanetScaleOptions.ReadCacheTtl"/>. Past that, it is shown only while the budget has no permit free for
/// reads, up to <see cref="PlanetScaleOptions.ReadCacheMaxStale"/>, and the command's
/// <see cref="PlanetScaleCallContext"/> records its age so the answer says how old it is.
/// A change through the bot calls <see cref="Invalidate"/>: the entries it may have changed go (the organization's for a
/// token created or deleted, one token's for its access), calls in flight may no longer be joined or store their answer,
/// so whoever made the change reads it back fresh.
/// Reads on a flow that decides something (<see cref="PlanetScalePriority.NeedsFreshReads"/>) always go to PlanetScale.
/// </summary>
public sealed class PlanetScaleReadShare(IOptions<PlanetScaleOptions> options, IPlanetScaleRateBudget budget, PlanetScaleMetrics metrics, TimeProvider time)
{
    private const int MaxEntries = 10_000;
    private readonly Dictionary<PlanetScaleReadKey, Entry> cache = [];
    private readonly Dictionary<PlanetScaleReadKey, Flight> flights = [];
    // Changes counted per organization (token created or deleted: every read in it) and per token (its access changed).
    private readonly Dictionary<(string Credential, string? Organization, string? TokenId), long> generations = [];
    private readonly Lock gate = new();

    /// <summary>The answer to the read <paramref name="key"/>: cached, shared with an identical call in flight, or fetched.</summary>
    /// <param name="key">What makes reads the same.</param>
    /// <param name="fetch">Makes the call; it gets a token that is cancelled only when every waiter has given up.</param>
    /// <param name="cancellationToken">This waiter's cancellation: it stops waiting, the call goes on for the others.</param>
    public async Task<T> ReadAsync<T>(PlanetScaleReadKey key, Func<CancellationToken, Task<T>> fetch, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(fetch);
        if (PlanetScalePriority.NeedsFreshReads)
        {
            return await fetch(cancellationToken).ConfigureAwait(false);
        }

        Flight flight;
        lock (gate)
        {
            if (Cached(key) is { } hit)
            {
                return (T)hit;
            }

            if (flights.TryGetValue(key, out var running))
            {
                flight = running;
                flight.Waiters++;
                metrics.RecordCoalesced(key.Operation);
            }
            else
            {
                flight = new Flight(GenerationOf(key));
                flights[key] = flight;
                flight.Task = RunAsync(key, flight, fetch);
            }
        }

        try
        {
            return (T)(await flight.Task.WaitAsync(cancellationToken).ConfigureAwait(false))!;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Leave(key, flight);
            throw;
        }
    }

    /// <summary>
    /// Drops the answers a change may have made wrong, cached or in flight: every answer about
    /// <paramref name="organization"/> read with <paramref name="credential"/>, or, when <paramref name="tokenId"/> is
    /// given, only the answers about that token (its access, its grants, its record).
    /// </summary>
    /// <remarks>
    /// A change to one token's access leaves the token list and other tokens' answers alone. That matters in a
    /// revocation storm: each revocation is a change, and dropping the whole organization several times a second left
    /// nothing in the cache for user commands to be answered from while the budget served revocations first.
    /// </remarks>
    public void Invalidate(string credential, string organization, string? tokenId = null)
    {
        lock (gate)
        {
            var scope = (credential, (string?)organization.ToLowerInvariant(), tokenId?.ToLowerInvariant());
            generations[scope] = generations.GetValueOrDefault(scope) + 1;
            foreach (var key in cache.Keys.Where(k => InScope(k, credential, organization, tokenId)).ToList())
            {
                cache.Remove(key);
            }

            // Waiters already on these calls keep them; newcomers start a call that began after the change.
            foreach (var key in flights.Keys.Where(k => InScope(k, credential, organization, tokenId)).ToList())
            {
                flights.Remove(key);
            }
        }
    }

    private static bool InScope(PlanetScaleReadKey key, string credential, string organization, string? tokenId) =>
        key.Credential == credential && string.Equals(key.Organization, organization, StringComparison.OrdinalIgnoreCase)
        && (tokenId is null || string.Equals(key.TokenId, tokenId, StringComparison.OrdinalIgnoreCase));

    // Under the gate.
    private object? Cached(PlanetScaleReadKey key)
    {
        var settings = options.Value;
        if (!cache.TryGetValue(key, out var entry))
        {
            return null;
        }

        var age = time.GetUtcNow() - entry.At;
        if (age <= settings.ReadCacheTtl)
        {
            metrics.RecordCacheHit(key.Operation, stale: false);
            return entry.Value;
        }

        if (age > settings.ReadCacheMaxStale)
        {
            cache.Remove(key);
            return null;
        }

        // Past its TTL: shown only when a fresh read would have to queue behind revocations and changes.
        if (settings.RequestsPerMinute == 0 || budget.IsFreeNow(key.Credential, PlanetScaleCallPriority.Read))
        {
            return null;
        }

        metrics.RecordCacheHit(key.Operation, stale: true);
        PlanetScaleCallContext.Current?.RecordCachedAnswer(age);
        return entry.Value;
    }

    private async Task<object?> RunAsync<T>(PlanetScaleReadKey key, Flight flight, Func<CancellationToken, Task<T>> fetch)
    {
        await Task.Yield();
        try
        {
            var value = await fetch(flight.Cancellation.Token).ConfigureAwait(false);
            Store(key, flight, value);
            return value;
        }
        finally
        {
            lock (gate)
            {
                if (flights.TryGetValue(key, out var current) && current == flight)
                {
                    flights.Remove(key);
                }
            }
        }
    }

    private void Store(PlanetScaleReadKey key, Flight flight, object? value)
    {
        var settings = options.Value;
        if (value is null || (settings.ReadCacheTtl <= TimeSpan.Zero && settings.ReadCacheMaxStale <= TimeSpan.Zero))
        {
            return;
        }

        lock (gate)
        {
            // A change since the call began: its answer may predate the change, so it is not kept.
            if (GenerationOf(key) != flight.Generation)
            {
                return;
            }

            if (cache.Count >= MaxEntries)
            {
                var now = time.GetUtcNow();
                foreach (var old in cache.Where(e => now - e.Value.At > settings.ReadCacheMaxStale).Select(e => e.Key).ToList())
                {
                    cache.Remove(old);
                }

                if (cache.Count >= MaxEntries)
                {
                    cache.Clear();
                }
            }

            cache[key] = new Entry(value, time.GetUtcNow());
        }
    }

    private void Leave(PlanetScaleReadKey key, Flight flight)
    {
        lock (gate)
        {
            if (--flight.Waiters > 0)
            {
                return;
            }

            // The last waiter left: nobody needs the answer, so the call stops and is no longer joined.
            if (flights.TryGetValue(key, out var current) && current == flight)
            {
                flights.Remove(key);
            }
        }

        flight.Cancellation.Cancel();
    }

    // Under the gate. A sum of counters that only grow: any change in the read's scope moves it.
    private long GenerationOf(PlanetScaleReadKey key)
    {
        var organization = key.Organization?.ToLowerInvariant();
        return generations.GetValueOrDefault((key.Credential, organization, null))
            + (key.TokenId is null ? 0 : generations.GetValueOrDefault((key.Credential, organization, key.TokenId.ToLowerInvariant())));
    }

    private sealed record Entry(object Value, DateTimeOffset At);

    private sealed class Flight(long generation)
    {
        public long Generation { get; } = generation;

        public int Waiters { get; set; } = 1;

        public CancellationTokenSource Cancellation { get; } = new();

        public Task<object?> Task { get; set; } = null!;
    }
}
