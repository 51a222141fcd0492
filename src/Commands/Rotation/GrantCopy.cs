using PscaleBot.Commands.PlanetScale;

namespace PscaleBot.Commands.Rotation;

/// <summary>What copying a token's grants to its replacement achieved, resource by resource.</summary>
/// <param name="Copied">Grants the new token now holds.</param>
/// <param name="Failed">The grant whose copy failed, and PlanetScale's safe message; null when none failed.</param>
/// <param name="FailureMessage">Why it failed, safe to show; null when none failed.</param>
/// <param name="FailedMayHaveLanded">True when the failed call may still have taken effect (a timeout or 5xx).</param>
/// <param name="NotAttempted">Grants not tried because an earlier one failed.</param>
public sealed record GrantCopyReport(
    IReadOnlyList<TokenGrant> Copied,
    TokenGrant? Failed,
    string? FailureMessage,
    bool FailedMayHaveLanded,
    IReadOnlyList<TokenGrant> NotAttempted)
{
    /// <summary>True when every grant was copied.</summary>
    public bool Complete => Failed is null && NotAttempted.Count == 0;
}

/// <summary>
/// Copies grants one resource at a time and stops at the first failure, so the report names exactly which resources
/// the new token holds; going on after a failure (a PlanetScale outage) would only lengthen the list of unknowns.
/// </summary>
public sealed class GrantCopy(IPlanetScaleService planetScale)
{
    /// <summary>Adds each of <paramref name="grants"/> to <paramref name="tokenId"/>, in order.</summary>
    public async Task<GrantCopyReport> CopyAsync(string organization, string tokenId, IReadOnlyList<TokenGrant> grants, CancellationToken cancellationToken)
    {
        var copied = new List<TokenGrant>();
        for (var i = 0; i < grants.Count; i++)
        {
            var grant = grants[i];
            try
            {
                await planetScale.AddAccessAsync(organization, tokenId, DatabaseOf(grant), grant.Permissions, cancellationToken);
                copied.Add(grant);
            }
            catch (PlanetScaleApiException ex)
            {
                var unsure = ex.Kind is PlanetScaleErrorKind.Timeout or PlanetScaleErrorKind.Unreachable or PlanetScaleErrorKind.ServerError;
                return new GrantCopyReport(copied, grant, ex.Message, unsure, [.. grants.Skip(i + 1)]);
            }
        }

        return new GrantCopyReport(copied, null, null, false, []);
    }

    /// <summary>The <c>--database</c> of a grant: null for the organization.</summary>
    public static string? DatabaseOf(TokenGrant grant) => grant.ResourceKind == ResourceKind.Organization ? null : grant.ResourceName;
}
