using PscaleBot.Commands.Access;
using PscaleBot.Commands.Results;
using PscaleBot.Commands.Rotation;

namespace PscaleBot.Commands.Stale;

/// <summary>
/// The scheduled list of stale tokens, posted to a configured channel. Notifiers that know no layout for it post its
/// <see cref="AccessNotification.Text"/>; the table is there for those that do.
/// </summary>
/// <param name="Audience">The channel.</param>
/// <param name="Text">One line per stale token.</param>
/// <param name="Table">The tokens, their grants and expiry.</param>
public sealed record StaleTokenDigestNotice(AccessAudience Audience, string Text, StaleTokenTable Table) : AccessNotification(Audience, Text);

/// <summary>Words the digest: a heading, then one line per token (id, name, last use, expiry, grants).</summary>
public static class StaleTokenDigestText
{
    /// <summary>The digest's text.</summary>
    public static string For(StaleTokenTable table)
    {
        var heading = $"Stale service tokens in {table.Organization}: {table.Tokens.Count} not used for {AccessText.Duration(table.UnusedFor)} (since {RotationText.At(table.Cutoff)}).";
        if (table.Tokens.Count == 0)
        {
            return heading + " Nothing to clean up.";
        }

        var lines = table.Tokens.Select(s =>
            $"• {s.Token.Id}{(s.Token.Name is { } name ? $" ({name})" : string.Empty)}: "
            + (s.Token.LastUsedAt is { } used ? $"last used {RotationText.At(used)}" : $"never used, created {RotationText.At(s.Token.CreatedAt)}")
            + (s.Token.ExpiresAt is { } expires ? $", expires {RotationText.At(expires)}" : ", never expires")
            + $"; grants: {RotationText.List(s.Grants.Where(g => g.Permissions.Count > 0))}");
        return heading + "\n" + string.Join("\n", lines) + "\nDelete what nobody needs with `service-token delete <TOKEN_ID>`, or replace it with `service-token rotate <TOKEN_ID>`.";
    }
}
