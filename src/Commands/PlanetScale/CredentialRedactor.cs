using System.Text;
using System.Text.RegularExpressions;

namespace PscaleBot.Commands.PlanetScale;

/// <summary>
/// The last line of defence for error text: removes the configured credentials and anything shaped like a
/// token secret, and strips control characters, before a message can reach a person or a log.
/// </summary>
internal sealed partial class CredentialRedactor(PlanetScaleOptions options)
{
    private const string Redacted = "[REDACTED]";

    /// <summary>Cleans text that came from PlanetScale (an API message) or was composed from it.</summary>
    public string Redact(string text)
    {
        foreach (var secret in new[] { options.ServiceToken, options.AccessToken })
        {
            // Very short values would redact ordinary words; real secrets are long.
            if (!string.IsNullOrEmpty(secret) && secret.Length >= 8)
            {
                text = text.Replace(secret, Redacted, StringComparison.Ordinal);
            }
        }

        return TokenSecretShape().Replace(text, "pscale_tkn_" + Redacted);
    }

    /// <summary>Makes an API-supplied message safe to quote: one line, no control characters, bounded, redacted.</summary>
    public string Quote(string? apiMessage, int maxLength = 300)
    {
        if (string.IsNullOrWhiteSpace(apiMessage))
        {
            return "";
        }

        var builder = new StringBuilder(Math.Min(apiMessage.Length, maxLength + 1));
        var lastWasSpace = false;
        foreach (var c in apiMessage)
        {
            var isSpace = char.IsWhiteSpace(c) || char.IsControl(c);
            if (isSpace && lastWasSpace)
            {
                continue;
            }

            builder.Append(isSpace ? ' ' : c);
            lastWasSpace = isSpace;
        }

        var text = Redact(builder.ToString().Trim());
        return text.Length <= maxLength ? text : text[..maxLength] + "…";
    }

    [GeneratedRegex(@"pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_\-\.]+")]
    private static partial Regex TokenSecretShape();
}
