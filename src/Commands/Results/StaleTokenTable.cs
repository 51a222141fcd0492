using PscaleBot.Commands.PlanetScale;

namespace PscaleBot.Commands.Results;

/// <summary>One token that has not been used since the cut-off, with what it may still do.</summary>
/// <param name="Token">The token (never with a secret).</param>
/// <param name="Grants">Its permissions per resource.</param>
public sealed record StaleToken(ServiceToken Token, IReadOnlyList<TokenGrant> Grants);

/// <summary>
/// <c>service-token stale</c>: tokens whose last use is older than <paramref name="Cutoff"/>, or that were never used and
/// were created before it, stalest first.
/// </summary>
/// <param name="Organization">The organization.</param>
/// <param name="UnusedFor">The <c>--unused-for</c> asked for.</param>
/// <param name="Cutoff">Now minus <paramref name="UnusedFor"/>.</param>
/// <param name="Tokens">The stale tokens.</param>
public sealed record StaleTokenTable(string Organization, TimeSpan UnusedFor, DateTimeOffset Cutoff, IReadOnlyList<StaleToken> Tokens) : CommandResult;
