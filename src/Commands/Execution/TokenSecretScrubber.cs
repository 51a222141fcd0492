using System.Text.RegularExpressions;

namespace PscaleBot.Commands.Execution;

/// <summary>
/// Last-line redaction of token secrets in text bound for logs and the audit store.
/// Interim: to be replaced by the parser's shared <c>SecretRedactor</c> (src/Commands/Secrets) once merged.
/// </summary>
internal static partial class TokenSecretScrubber
{
    public const string Replacement = "pscale_tkn_[REDACTED]";

    public static string Scrub(string text) => SecretPattern().Replace(text, Replacement);

    public static string? ScrubNullable(string? text) => text is null ? null : Scrub(text);

    [GeneratedRegex(@"pscale_tkn_(?!\[REDACTED\])[A-Za-z0-9_\-]+", RegexOptions.CultureInvariant)]
    private static partial Regex SecretPattern();
}
