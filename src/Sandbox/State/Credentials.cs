using System.Security.Cryptography;
using System.Text;

namespace PscaleBot.Sandbox.State;

/// <summary>Makes ids and secrets in PlanetScale's shapes, and hashes secrets for storage.</summary>
internal static class Credentials
{
    private const string IdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /// <summary>The prefix every token secret starts with.</summary>
    public const string SecretPrefix = "pscale_tkn_";

    /// <summary>A new random id: 12 lower-case alphanumerics.</summary>
    public static string NewId() => RandomNumberGenerator.GetString(IdAlphabet, 12);

    /// <summary>A new random secret: <c>pscale_tkn_</c> and 43 url-safe characters.</summary>
    public static string NewSecret() => SecretPrefix + RandomNumberGenerator.GetString(SecretAlphabet, 43);

    /// <summary>True when the text has the shape of a token id.</summary>
    public static bool IsIdShaped(string? value) =>
        value is { Length: 12 } && value.All(c => IdAlphabet.Contains(c, StringComparison.Ordinal));

    /// <summary>Hex SHA-256 of a secret, the only form in which secrets are stored.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Compares a presented secret with a stored hash in constant time.</summary>
    public static bool Matches(string secret, string storedHash)
    {
        var presented = Encoding.ASCII.GetBytes(Hash(secret));
        var stored = Encoding.ASCII.GetBytes(storedHash);
        return CryptographicOperations.FixedTimeEquals(presented, stored);
    }
}
