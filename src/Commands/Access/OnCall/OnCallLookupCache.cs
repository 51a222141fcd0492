namespace PscaleBot.Commands.Access.OnCall;

/// <summary>One person on call according to a service, from <see cref="From"/> until <see cref="Until"/>.</summary>
/// <param name="Email">The address the service knows them by.</param>
/// <param name="Source">What put them on call, for the audit (<c>pagerduty:schedule:P123</c>).</param>
/// <param name="From">When the shift starts.</param>
/// <param name="Until">When the shift ends (exclusive).</param>
public sealed record OnCallEntry(string Email, string Source, DateTimeOffset From, DateTimeOffset Until);

/// <summary>
/// Answers of the on-call services kept for <see cref="OnCallOptions.CacheTtl"/>, with concurrent lookups of the same
/// key sharing one call. Failures are not kept: the next request asks again.
/// </summary>
public sealed class OnCallLookupCache(TimeProvider time)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, (DateTimeOffset Expires, Task<IReadOnlyList<OnCallEntry>> Lookup)> entries = new(StringComparer.Ordinal);

    /// <summary>The cached (or in-flight) answer for <paramref name="key"/>, or a new lookup started by <paramref name="fetch"/>.</summary>
    public Task<IReadOnlyList<OnCallEntry>> GetAsync(string key, TimeSpan ttl, Func<Task<IReadOnlyList<OnCallEntry>>> fetch)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            if (entries.TryGetValue(key, out var entry) && now < entry.Expires && !entry.Lookup.IsFaulted && !entry.Lookup.IsCanceled)
            {
                return entry.Lookup;
            }

            // Started under the lock so a second caller finds this lookup rather than starting its own.
            var lookup = fetch();
            entries[key] = (now + ttl, lookup);
            return lookup;
        }
    }
}
