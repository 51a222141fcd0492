using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace PscaleBot.Bot.Slack.Http;

/// <summary>Why a request's signature was accepted or refused.</summary>
public enum SignatureCheck
{
    /// <summary>Signed by Slack within the replay window.</summary>
    Valid,
    /// <summary><c>X-Slack-Request-Timestamp</c> or <c>X-Slack-Signature</c> is absent.</summary>
    Missing,
    /// <summary>A header is not in the expected shape (non-numeric timestamp, unknown version, bad hex).</summary>
    Malformed,
    /// <summary>The timestamp is more than five minutes from now, either way.</summary>
    Stale,
    /// <summary>The signature does not match the body.</summary>
    Mismatch,
}

/// <summary>
/// Verifies Slack's <c>v0</c> request signature: HMAC-SHA256 keyed with the signing secret over
/// <c>v0:{timestamp}:{raw body}</c>, compared in constant time, with a five-minute replay window either way.
/// </summary>
public sealed class SlackSignatureVerifier
{
    /// <summary>How far the request timestamp may be from now, in either direction.</summary>
    public static readonly TimeSpan ReplayWindow = TimeSpan.FromMinutes(5);

    private const int HexSignatureLength = 64;
    private readonly byte[] key;
    private readonly TimeProvider time;

    /// <summary>Creates a verifier for the configured signing secret.</summary>
    public SlackSignatureVerifier(IOptions<SlackOptions> options, TimeProvider time)
        : this(options.Value.SigningSecret ?? string.Empty, time)
    {
    }

    /// <summary>Creates a verifier for <paramref name="signingSecret"/>.</summary>
    public SlackSignatureVerifier(string signingSecret, TimeProvider time)
    {
        key = Encoding.UTF8.GetBytes(signingSecret);
        this.time = time;
    }

    /// <summary>Checks one request: its two headers and the exact bytes of its body.</summary>
    public SignatureCheck Verify(string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> rawBody)
    {
        // An empty secret would make every forged signature computable: never accept anything with it.
        if (key.Length == 0)
        {
            return SignatureCheck.Mismatch;
        }

        if (string.IsNullOrEmpty(timestampHeader) || string.IsNullOrEmpty(signatureHeader))
        {
            return SignatureCheck.Missing;
        }

        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return SignatureCheck.Malformed;
        }

        if (!signatureHeader.StartsWith("v0=", StringComparison.Ordinal) || signatureHeader.Length != 3 + HexSignatureLength)
        {
            return SignatureCheck.Malformed;
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(signatureHeader.AsSpan(3));
        }
        catch (FormatException)
        {
            return SignatureCheck.Malformed;
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        if (Math.Abs(now - seconds) > (long)ReplayWindow.TotalSeconds)
        {
            return SignatureCheck.Stale;
        }

        var prefix = Encoding.ASCII.GetBytes($"v0:{timestampHeader}:");
        var signed = new byte[prefix.Length + rawBody.Length];
        prefix.CopyTo(signed, 0);
        rawBody.CopyTo(signed.AsSpan(prefix.Length));
        var expected = HMACSHA256.HashData(key, signed);
        return CryptographicOperations.FixedTimeEquals(expected, given) ? SignatureCheck.Valid : SignatureCheck.Mismatch;
    }
}
