using System.Text.RegularExpressions;

namespace PscaleBot.Commands.Secrets;

/// <summary>
/// Finds and replaces secrets in arbitrary text: PlanetScale secrets (<c>pscale_tkn_…</c>, <c>pscale_oauth_…</c>,
/// <c>pscale_pw_…</c>, also markdown-escaped) wherever they appear, and the values of the CLI's credential flags (<c>--api-token</c>, <c>--service-token</c>,
/// <c>--service-token-id</c>, <c>--service-token-name</c>, <c>--api-url</c>, <c>--config</c>).
/// Call it on anything that may reach a log line, an audit entry or a channel.
/// </summary>
public static partial class SecretRedactor
{
    /// <summary>What every secret is replaced with.</summary>
    public const string Placeholder = "[REDACTED]";

    /// <summary>The prefix every service-token secret starts with.</summary>
    public const string TokenSecretPrefix = "pscale_tkn_";

    /// <summary>Credential flags of the CLI (without dashes), whose values are redacted and never accepted from chat.</summary>
    public static IReadOnlyList<string> CredentialFlags { get; } =
        ["api-token", "service-token", "service-token-id", "service-token-name", "api-url", "config"];

    /// <summary>
    /// The credential flags whose values are (halves of) credentials. Typing one of these in chat exposes it;
    /// <c>--api-url</c> and <c>--config</c> are refused too but reveal nothing secret.
    /// </summary>
    public static IReadOnlyList<string> ExposingCredentialFlags { get; } =
        ["api-token", "service-token", "service-token-id", "service-token-name"];

    // What a chat client may leave between characters: a markdown escape, or an invisible character.
    private const string Gap = @"[\\\u200B\u200C\u200D\u2060\uFEFF]*";

    private const string SecretPrefix = "pscale" + Gap + "_" + Gap + "(?:tkn|oauth|pw)" + Gap + "_";

    private const string SecretShape = SecretPrefix + Gap + @"[A-Za-z0-9_\-+/=\\\u200B\u200C\u200D\u2060\uFEFF]+";

    // PlanetScale's secret shapes (service tokens pscale_tkn_, OAuth tokens pscale_oauth_, database passwords
    // pscale_pw_, as GitHub's secret scanning knows them), found whatever a chat client did to them: Slack's
    // markdown escaping turns every '_' into '\_', and copy-paste can leave zero-width characters around the
    // underscores and inside the secret. Token chars are base64url-ish; '+', '/' and '=' are included so a
    // standard-base64 secret is not cut short and half left behind.
    [GeneratedRegex(SecretShape, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TokenSecretPattern();

    [GeneratedRegex("^" + SecretPrefix, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretPrefixPattern();

    // The value after a credential flag, as the command tokenizer reads it: a quoted value runs to the
    // first closing quote followed by a space or the end (or to the end when unbalanced, redacting more
    // rather than less); otherwise the next run of non-spaces. Dashes may have been turned into an en or
    // em dash by the chat client's smart punctuation. A value is never itself a credential flag: in
    // "x=--service-token --service-token <secret>" the first is glued to a word, and taking the second as its value
    // left the secret after it unredacted (found by ParserPropertyTests).
    [GeneratedRegex(
        @"(?<flag>(?<![A-Za-z0-9])(?:--?|[\u2012\u2013\u2014\u2015]-?)(?<name>api-token|api-url|config|service-token-id|service-token-name|service-token))" +
        @"(?<sep>\s*=\s*|\s+)" +
        @"(?!(?:--?|[\u2012\u2013\u2014\u2015]-?)(?:api-token|api-url|config|service-token-id|service-token-name|service-token)(?:[\s=]|$))" +
        @"(?<value>[""\u201C\u201D\u201E\u00AB\u00BB](?:[^""\u201C\u201D\u00AB\u00BB]|[""\u201C\u201D\u00AB\u00BB](?!\s|$))*(?:[""\u201C\u201D\u00AB\u00BB](?=\s|$)|$)" +
        @"|['\u2018\u2019\u201A](?:[^'\u2018\u2019]|['\u2018\u2019](?!\s|$))*(?:['\u2018\u2019](?=\s|$)|$)" +
        @"|\S+)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CredentialFlagPattern();

    [GeneratedRegex(
        @"(?:^|\s)(?:--?|[\u2012\u2013\u2014\u2015]-?)(?<name>api-token|api-url|config|service-token-id|service-token-name|service-token)(?=\s|=|$)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CredentialFlagNamePattern();

    /// <summary>
    /// The first credential flag (lower-case, without dashes) written anywhere in <paramref name="text"/>,
    /// with or without a value, or null.
    /// </summary>
    public static string? FirstCredentialFlag(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var match = CredentialFlagNamePattern().Match(text);
        return match.Success ? match.Groups["name"].Value.ToLowerInvariant() : null;
    }

    /// <summary>Replaces every token secret and every credential-flag value in <paramref name="text"/> with <see cref="Placeholder"/>.</summary>
    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        var withoutFlagValues = CredentialFlagPattern().Replace(
            text,
            m => m.Groups["flag"].Value + m.Groups["sep"].Value + Placeholder);
        return TokenSecretPattern().Replace(withoutFlagValues, Placeholder);
    }

    /// <summary>True when <paramref name="text"/> contains a service-token secret (<c>pscale_tkn_</c> followed by token characters).</summary>
    public static bool ContainsTokenSecret(string? text) =>
        !string.IsNullOrEmpty(text) && TokenSecretPattern().IsMatch(text);

    /// <summary>
    /// True when <paramref name="text"/> exposes a credential: a token secret, or a value given to one of
    /// <see cref="ExposingCredentialFlags"/>.
    /// </summary>
    public static bool ContainsSecret(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (TokenSecretPattern().IsMatch(text))
        {
            return true;
        }

        foreach (Match match in CredentialFlagPattern().Matches(text))
        {
            if (IsExposingFlag(match.Groups["name"].Value) && match.Groups["value"].Length > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="word"/> starts like a PlanetScale secret (a service token, an OAuth token or
    /// a password, escaped or not): never an id to send to the API.</summary>
    public static bool LooksLikeTokenSecret(string? word) =>
        word is not null && SecretPrefixPattern().IsMatch(word);

    /// <summary>True when <paramref name="flagName"/> (without dashes) is one of <see cref="CredentialFlags"/>.</summary>
    public static bool IsCredentialFlag(string flagName) =>
        CredentialFlags.Contains(flagName, StringComparer.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="flagName"/> (without dashes) is one of <see cref="ExposingCredentialFlags"/>.</summary>
    public static bool IsExposingFlag(string flagName) =>
        ExposingCredentialFlags.Contains(flagName, StringComparer.OrdinalIgnoreCase);
}
