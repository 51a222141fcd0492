using System.Text.RegularExpressions;
using PscaleBot.Commands.Audit;

namespace PscaleBot.Bot.Persistence;

/// <summary>What every audit store does to text before writing it, whatever the caller already redacted.</summary>
public static partial class AuditText
{
    /// <summary><paramref name="text"/> with every <c>pscale_tkn_…</c> value replaced by <c>pscale_tkn_[REDACTED]</c>.</summary>
    public static string Scrub(string text) => SecretPattern().Replace(text, "pscale_tkn_[REDACTED]");

    /// <summary>
    /// <paramref name="entry"/> as a store writes it, and so as its hash covers it: every text scrubbed, the time in UTC
    /// cut to whole microseconds (<see cref="AuditRowHash.ToStoredPrecision"/>).
    /// </summary>
    public static AuditEntry Stored(AuditEntry entry) => new(
        AuditRowHash.ToStoredPrecision(entry.Time),
        Scrub(entry.Platform),
        Scrub(entry.Place),
        Scrub(entry.UserId),
        Scrub(entry.Command),
        Scrub(entry.Decision),
        entry.Reason is null ? null : Scrub(entry.Reason),
        Scrub(entry.Outcome),
        [.. entry.RequestIds.Select(Scrub)]);

    [GeneratedRegex(@"pscale_tkn_(?!\[REDACTED\])[A-Za-z0-9_\-]+", RegexOptions.CultureInvariant)]
    private static partial Regex SecretPattern();
}
