using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Stale;

/// <summary>
/// Finds the organization's stale tokens: <c>last_used_at</c> (or, never used, <c>created_at</c>) before now minus the
/// cut-off, stalest first, each with its grants so people see what an unused token could still do. Shared by
/// <c>service-token stale</c> and the scheduled digest.
/// </summary>
public sealed class StaleTokenFinder(IPlanetScaleService planetScale, TimeProvider time)
{
    /// <summary>The stale tokens of <paramref name="organization"/> for <paramref name="unusedFor"/>.</summary>
    public async Task<StaleTokenTable> FindAsync(string organization, TimeSpan unusedFor, CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - unusedFor;
        var tokens = await planetScale.ListTokensAsync(organization, cancellationToken);
        var stale = new List<StaleToken>();
        foreach (var token in tokens.Where(t => IsStale(t, cutoff)).OrderBy(t => t.LastUsedAt ?? t.CreatedAt).ThenBy(t => t.Id, StringComparer.Ordinal))
        {
            stale.Add(new StaleToken(token, await planetScale.GetGrantsAsync(organization, token.Id, cancellationToken)));
        }

        return new StaleTokenTable(organization, unusedFor, cutoff, stale);
    }

    /// <summary>Last used before <paramref name="cutoff"/>, or never used and created before it.</summary>
    public static bool IsStale(ServiceToken token, DateTimeOffset cutoff) => (token.LastUsedAt ?? token.CreatedAt) < cutoff;
}
