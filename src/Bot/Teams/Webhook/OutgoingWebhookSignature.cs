using System.Security.Cryptography;

namespace PscaleBot.Bot.Teams.Webhook;

/// <summary>
/// Verifies <c>Authorization: HMAC &lt;base64&gt;</c> on an outgoing-webhook request: HMAC-SHA256 keyed with the
/// base64-decoded security token over the exact body bytes received, compared in constant time.
/// </summary>
internal static class OutgoingWebhookSignature
{
    public static bool IsValid(string? authorization, ReadOnlySpan<byte> body, string base64Secret)
    {
        const string Scheme = "HMAC ";
        if (body.IsEmpty || authorization is null || !authorization.StartsWith(Scheme, StringComparison.Ordinal))
        {
            return false;
        }

        Span<byte> provided = stackalloc byte[64];
        if (!Convert.TryFromBase64String(authorization[Scheme.Length..].Trim(), provided, out var providedLength))
        {
            return false;
        }

        var key = Convert.FromBase64String(base64Secret);
        try
        {
            Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
            HMACSHA256.HashData(key, body, expected);
            return CryptographicOperations.FixedTimeEquals(expected, provided[..providedLength]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>The header value Teams would send for <paramref name="body"/> (for tests and local tools).</summary>
    public static string Sign(ReadOnlySpan<byte> body, string base64Secret) =>
        "HMAC " + Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(base64Secret), body));
}
