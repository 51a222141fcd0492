using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PscaleBot.Bot.Persistence.Migrations;
using PscaleBot.Bot.Teams.Protocol;

namespace PscaleBot.Bot.Teams.Access;

/// <summary>
/// Where the bot can post without being asked: the conversation references (serviceUrl, conversation id,
/// tenant, the bot's and the user's accounts) of channels, chats and users it has seen in authenticated
/// activities, kept in <see cref="ITeamsConversationStore"/> so they outlive a restart and serve every replica.
/// Proactive posts need a serviceUrl, which only Teams knows; a place never seen falls back to
/// <see cref="TeamsOptions.ServiceUrl"/> when that is set.
/// </summary>
internal sealed partial class TeamsConversationDirectory(
    ITeamsConversationStore store, IOptionsMonitor<TeamsOptions> options, ILogger<TeamsConversationDirectory> logger)
{
    /// <summary>How many written entries this process remembers, to skip rewriting what has not changed.</summary>
    internal const int MaxRemembered = 10_000;

    private const string UserPrefix = "teams:user:";
    private const string PersonalChatPrefix = "teams:user-chat:";

    // Every message would otherwise rewrite the same rows; a bounded memo of what this process wrote skips that.
    private readonly ConcurrentDictionary<string, ConversationReference> written = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Records the conversation and the sender of an authenticated activity whose serviceUrl is allowed. A store
    /// that fails is logged, not thrown: the activity itself is still answered, and the next one tries again.
    /// </summary>
    public async Task RememberAsync(Activity activity, CancellationToken cancellationToken)
    {
        var entries = Entries(activity).Where(e => !written.TryGetValue(e.Key, out var known) || known != e.Reference).ToList();
        if (entries.Count == 0)
        {
            return;
        }

        try
        {
            await store.SaveAsync(entries, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogNotKept(logger, StoreFailure.Reason(ex));
            return;
        }

        foreach (var entry in entries)
        {
            if (written.Count < MaxRemembered || written.ContainsKey(entry.Key))
            {
                written[entry.Key] = entry.Reference;
            }
        }
    }

    /// <summary>The reference of a qualified place id (<c>teams:channel:…</c>, <c>teams:team:…</c>, <c>teams:chat:…</c>), or null.</summary>
    public async Task<ConversationReference?> FindPlaceAsync(string placeId, CancellationToken cancellationToken)
    {
        if (IsPlace(placeId) && await store.FindAsync(placeId, cancellationToken) is { } known)
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
    public async Task<ConversationReference?> FindUserAsync(string userId, CancellationToken cancellationToken)
    {
        if (!userId.StartsWith(UserPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var aad = userId[UserPrefix.Length..];
        var latest = await store.FindAsync(UserPrefix + aad, cancellationToken);
        var personal = await store.FindAsync(PersonalChatPrefix + aad, cancellationToken);
        if ((latest ?? personal) is { } known)
        {
            return known with { ConversationId = personal?.ConversationId ?? "", ConversationType = "personal", ActivityId = null };
        }

        // Teams accepts the Entra object id as the member id when creating a 1:1 chat.
        return Configured() is { } configured
            ? configured with { ConversationType = "personal", User = new ChannelAccount { Id = aad, AadObjectId = aad } }
            : null;
    }

    /// <summary>
    /// What an activity teaches: its channel (and team) or group chat, and its sender. The sender's latest
    /// reference and their 1:1 chat are kept apart, so a channel message never hides the 1:1 chat a personal
    /// message revealed, and neither write has to read first.
    /// </summary>
    private static IEnumerable<TeamsConversationEntry> Entries(Activity activity)
    {
        if (ConversationReference.From(activity) is not { } reference)
        {
            yield break;
        }

        var placeReference = reference with { ActivityId = null, User = new ChannelAccount() };
        switch (activity.Conversation?.ConversationType?.ToLowerInvariant())
        {
            case "channel":
                // Posting to the channel id starts a new thread; a thread's id is "<channel id>;messageid=…".
                var channelId = activity.ChannelData?.Channel?.Id ?? reference.ConversationId.Split(';')[0];
                yield return new($"teams:channel:{channelId}", placeReference with { ConversationId = channelId });
                if (activity.ChannelData?.Team?.Id is { Length: > 0 } teamId)
                {
                    // The General channel's id is the team's id.
                    yield return new($"teams:team:{teamId}", placeReference with { ConversationId = teamId });
                }

                break;
            case "groupchat":
                yield return new($"teams:chat:{reference.ConversationId}", placeReference);
                break;
        }

        if (activity.From?.AadObjectId is { Length: > 0 } aad)
        {
            var user = aad.Trim().ToLowerInvariant();
            var personal = reference with { ConversationType = "personal", ActivityId = null };
            yield return new(UserPrefix + user, personal with { ConversationId = "" });
            if (reference.IsPersonal)
            {
                yield return new(PersonalChatPrefix + user, personal);
            }
        }
    }

    private static bool IsPlace(string placeId) =>
        placeId.StartsWith("teams:channel:", StringComparison.OrdinalIgnoreCase)
        || placeId.StartsWith("teams:team:", StringComparison.OrdinalIgnoreCase)
        || placeId.StartsWith("teams:chat:", StringComparison.OrdinalIgnoreCase);

    private ConversationReference? Configured()
    {
        var settings = options.CurrentValue;
        return string.IsNullOrWhiteSpace(settings.ServiceUrl) || string.IsNullOrWhiteSpace(settings.AppId)
            ? null
            : new ConversationReference(settings.ServiceUrl, "", null, null, new ChannelAccount { Id = "28:" + settings.AppId }, new ChannelAccount(), settings.AppTenantId);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Teams conversation reference could not be kept ({Failure}); proactive posts to this conversation use an older reference or Teams:ServiceUrl until the next message keeps it")]
    private static partial void LogNotKept(ILogger logger, string failure);
}
