using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Execution.Handlers;

/// <summary>
/// <c>service-token stale</c>: lists the organization's tokens, keeps those whose <c>last_used_at</c> (or, never used,
/// whose <c>created_at</c>) is before the cut-off, and reads each one's grants so people see what an unused token could
/// still do. Stalest first: the longest-forgotten token is the likeliest to be safe to delete.
/// </summary>
public sealed class StaleTokensHandler(IPlanetScaleService planetScale, TimeProvider time) : ICommandHandler<StaleTokensCommand>
{
    /// <inheritdoc />
    public async Task<ExecutionOutcome> HandleAsync(StaleTokensCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        var organization = context.Organization;
        var cutoff = time.GetUtcNow() - command.UnusedFor;
        var tokens = await planetScale.ListTokensAsync(organization, cancellationToken);
        var stale = new List<StaleToken>();
        foreach (var token in tokens.Where(t => IsStale(t, cutoff)).OrderBy(t => t.LastUsedAt ?? t.CreatedAt).ThenBy(t => t.Id, StringComparer.Ordinal))
        {
            stale.Add(new StaleToken(token, await planetScale.GetGrantsAsync(organization, token.Id, cancellationToken)));
        }

        return new ExecutionOutcome([new StaleTokenTable(organization, command.UnusedFor, cutoff, stale)], null, $"ok: {stale.Count} stale");
    }

    /// <summary>Last used before <paramref name="cutoff"/>, or never used and created before it.</summary>
    public static bool IsStale(ServiceToken token, DateTimeOffset cutoff) => (token.LastUsedAt ?? token.CreatedAt) < cutoff;
}
