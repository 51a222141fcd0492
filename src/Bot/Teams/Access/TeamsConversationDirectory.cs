using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PscaleBot.Bot.Teams.Protocol;

namespace PscaleBot.Bot.Teams.Access;

/// <summary>
/// Where the bot can post without being asked: the conversation references (serviceUrl, conversation id,
/// tenant, the bot's and the user's accounts) of channels, chats and users it has seen in authenticated
/// activities since it started. Proactive posts need a serviceUrl, which only Teams knows; a channel the
/// bot has not seen since start falls back to <see cref="TeamsOptions.ServiceUrl"/> when that is set.
/// Kept in memory (bounded): after a restart, the first message from a channel or user refreshes it.
/// </summary>
internal sealed class TeamsConversationDirectory(IOptionsMonitor<TeamsOptions> options)
{
    internal const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, ConversationReference> places = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, ConversationReference> users = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Records the conversation and the sender of an authenticated activity whose serviceUrl is allowed.</summary>
    public void Remember(Activity activity)
    {
        if (ConversationReference.From(activity) is not { } reference)
        {
            return;
        }

        var placeReference = reference with { ActivityId = null, User = new ChannelAccount() };
        switch (activity.Conversation?.ConversationType?.ToLowerInvariant())
        {
            case "channel":
                // Posting to the channel id starts a new thread; a thread's id is "<channel id>;messageid=…".
                var channelId = activity.ChannelData?.Channel?.Id ?? reference.ConversationId.Split(';')[0];
                Put(places, $"teams:channel:{channelId}", placeReference with { ConversationId = channelId });
                if (activity.ChannelData?.Team?.Id is { Length: > 0 } teamId)
                {
                    // The General channel's id is the team's id.
                    Put(places, $"teams:team:{teamId}", placeReference with { ConversationId = teamId });
                }

                break;
            case "groupchat":
                Put(places, $"teams:chat:{reference.ConversationId}", placeReference);
                break;
        }

        if (activity.From?.AadObjectId is { Length: > 0 } aad)
        {
            var personal = reference.IsPersonal ? reference.ConversationId : "";
            var key = $"teams:user:{aad.Trim().ToLowerInvariant()}";
            if (personal.Length == 0 && users.TryGetValue(key, out var known) && known.ConversationId.Length > 0)
            {
                personal = known.ConversationId;
            }

            Put(users, key, reference with { ConversationId = personal, ConversationType = "personal", ActivityId = null });
        }
    }

    /// <summary>The reference of a qualified place id (<c>teams:channel:…</c>, <c>teams:team:…</c>, <c>teams:chat:…</c>), or null.</summary>
    public ConversationReference? FindPlace(string placeId)
    {
        if (places.TryGetValue(placeId, out var known))
        {
            return known;
        }

        foreach (var (prefix, type) in new[] { ("teams:channel:", "channel"), ("teams:team:", "channel"), ("teams:chat:", "groupChat") })
        {
            if (placeId.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && Configured() is { } configured)
            {
                return configured with { ConversationId = placeId[prefix.Length..], ConversationType = type };
            }
        }

        return null;
    }

    /// <summary>
    /// A reference to reach <paramref name="userId"/> (<c>teams:user:&lt;aad object id&gt;</c>) privately: its
    /// <see cref="ConversationReference.ConversationId"/> is the 1:1 chat when known, else empty (open one first).
    /// </summary>
    public ConversationReference? FindUser(string userId)
    {
        if (users.TryGetValue(userId, out var known))
        {
            return known;
        }

        // Teams accepts the Entra object id as the member id when creating a 1:1 chat.
        const string Prefix = "teams:user:";
        return userId.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && Configured() is { } configured
            ? configured with { ConversationType = "personal", User = new ChannelAccount { Id = userId[Prefix.Length..], AadObjectId = userId[Prefix.Length..] } }
            : null;
    }

    private ConversationReference? Configured()
    {
        var settings = options.CurrentValue;
        return string.IsNullOrWhiteSpace(settings.ServiceUrl) || string.IsNullOrWhiteSpace(settings.AppId)
            ? null
            : new ConversationReference(settings.ServiceUrl, "", null, null, new ChannelAccount { Id = "28:" + settings.AppId }, new ChannelAccount(), settings.AppTenantId);
    }

    private static void Put(ConcurrentDictionary<string, ConversationReference> map, string key, ConversationReference reference)
    {
        // Bounded: a flood of new conversations cannot grow memory; known ones are still refreshed.
        if (map.Count < MaxEntries || map.ContainsKey(key))
        {
            map[key] = reference;
        }
    }
}

/// <summary>
/// The approval cards the bot posted (request id → conversation and activity id), so the card can be
/// replaced when the request progresses or settles, whoever settled it (a click or a typed command).
/// In memory: after a restart the outcome is posted as a new message instead.
/// </summary>
internal sealed class TeamsApprovalCardLog
{
    private readonly ConcurrentDictionary<string, (ConversationReference Where, string ActivityId)> cards = new(StringComparer.Ordinal);

    public void Remember(string requestId, ConversationReference where, string activityId)
    {
        if (cards.Count < TeamsConversationDirectory.MaxEntries || cards.ContainsKey(requestId))
        {
            cards[requestId] = (where, activityId);
        }
    }

    public bool TryFind(string requestId, out ConversationReference where, out string activityId)
    {
        var found = cards.TryGetValue(requestId, out var card);
        (where, activityId) = found ? card : (null!, "");
        return found;
    }

    public void Forget(string requestId) => cards.TryRemove(requestId, out _);
}
