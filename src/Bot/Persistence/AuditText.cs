using System.Text.RegularExpressions;

namespace PscaleBot.Bot.Persistence;

/// <summary>What every audit store does to text before writing it, whatever the caller already redacted.</summary>
public static partial class AuditText
{
    /// <summary><paramref name="text"/> with every <c>pscale_tkn_…</c> value replaced by <c>pscale_tkn_[REDACTED]</c>.</summary>
    public static string Scrub(string text) => SecretPattern().Replace(text, "pscale_tkn_[REDACTED]");

    [GeneratedRegex(@"pscale_tkn_(?!\[REDACTED\])[A-Za-z0-9_\-]+", RegexOptions.CultureInvariant)]
    private static partial Regex SecretPattern();
}
