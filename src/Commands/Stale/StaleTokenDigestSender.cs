using Microsoft.Extensions.Options;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.PlanetScale;

namespace PscaleBot.Commands.Stale;

/// <summary>One digest: finds the stale tokens and sends the notice to every configured channel through the access notifiers.</summary>
public sealed class StaleTokenDigestSender(
    StaleTokenFinder finder,
    AccessNotificationDispatcher notify,
    IOptions<StaleDigestOptions> options,
    IOptions<PlanetScaleOptions> planetScale)
{
    /// <summary>Sends the digest now; returns how many stale tokens it named (null when no channel is configured).</summary>
    public async Task<int?> SendAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var audiences = settings.DigestChannels
            .Select(c => StaleDigestChannels.TryParse(c, out var audience) ? audience : null)
            .OfType<AccessAudience>().Distinct().ToList();
        if (audiences.Count == 0)
        {
            return null;
        }

        var organization = string.IsNullOrWhiteSpace(settings.Organization) ? planetScale.Value.DefaultOrganization : settings.Organization;
        var table = await finder.FindAsync(organization, settings.UnusedFor, cancellationToken);
        var text = StaleTokenDigestText.For(table);
        foreach (var audience in audiences)
        {
            await notify.SendAsync(new StaleTokenDigestNotice(audience, text, table), cancellationToken);
        }

        return table.Tokens.Count;
    }
}
