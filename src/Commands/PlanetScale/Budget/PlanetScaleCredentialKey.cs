using System.Security.Cryptography;
using System.Text;

namespace PscaleBot.Commands.PlanetScale.Budget;

/// <summary>
/// Names the credential a call is made with, without revealing it: the service token id (not secret: PlanetScale
/// shows it in lists), or a short hash of an OAuth token. Budgets, the read cache and coalescing are kept per key.
/// </summary>
public static class PlanetScaleCredentialKey
{
    /// <summary>The key of the credential <paramref name="options"/> configure.</summary>
    public static string Of(PlanetScaleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.ServiceTokenId) && !string.IsNullOrWhiteSpace(options.ServiceToken))
        {
            return "token:" + options.ServiceTokenId;
        }

        if (!string.IsNullOrWhiteSpace(options.AccessToken))
        {
            // Eight bytes of SHA-256 tell tokens apart and cannot be turned back into one.
            return "oauth:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(options.AccessToken)).AsSpan(0, 8));
        }

        return "none";
    }
}
