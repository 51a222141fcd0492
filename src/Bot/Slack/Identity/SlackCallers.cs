using Microsoft.Extensions.Options;
using PscaleBot.Commands.Model;

namespace PscaleBot.Bot.Slack.Identity;

/// <summary>The identity of a Slack user with their user groups, read within <c>Slack:GroupLookupTimeout</c> (groups absent past it).</summary>
public sealed class SlackCallers(ISlackUserGroupDirectory groups, IOptions<SlackOptions> options, TimeProvider time)
{
    /// <summary><paramref name="userId"/> of <paramref name="teamId"/> as the policy sees them.</summary>
    public async Task<ChatIdentity> ForAsync(string teamId, string userId, string? userName, CancellationToken cancellationToken)
    {
        var membership = await groups.GroupsWithinAsync(teamId, userId, options.Value.GroupLookupTimeout, time, cancellationToken);
        return SlackIdentityFactory.Caller(userId, userName, membership.Groups, teamId);
    }

    /// <summary>The place a qualified place id names (<c>slack:channel:C…</c> or <c>direct</c>), as the policy matched it.</summary>
    public static ChatPlace PlaceOf(string? placeId) =>
        placeId is not null && placeId.StartsWith("slack:channel:", StringComparison.Ordinal)
            ? SlackIdentityFactory.Place(placeId["slack:channel:".Length..], null)
            : new ChatPlace(["direct"], IsDirect: true, "direct message");
}
