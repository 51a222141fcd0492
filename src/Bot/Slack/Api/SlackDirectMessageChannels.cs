using System.Collections.Concurrent;

namespace PscaleBot.Bot.Slack.Api;

/// <summary>
/// The bot's direct-message channel with each user, opened once (<c>conversations.open</c>) and then remembered: a DM's
/// id does not change, and Slack allows that method only about 50 calls a minute (Tier 3), which a burst of file answers
/// (CSV, long lists) to the same people would pass. Concurrent callers for one user share one call; a failed call is
/// forgotten, so the next caller asks again.
/// </summary>
public sealed class SlackDirectMessageChannels(SlackApiClient slack)
{
    /// <summary>Users remembered at most; past it the memory starts over (a DM's id is cheap to ask for again).</summary>
    public const int MaxUsers = 10_000;

    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> channels = new(StringComparer.Ordinal);

    /// <summary>The DM channel (<c>D…</c>) between the bot and <paramref name="userId"/>.</summary>
    public async Task<string> OpenAsync(string userId, CancellationToken cancellationToken)
    {
        if (channels.Count >= MaxUsers)
        {
            channels.Clear();
        }

        var open = channels.GetOrAdd(userId, id => new Lazy<Task<string>>(() => OpenOnceAsync(id)));
        return await open.Value.WaitAsync(cancellationToken);
    }

    private async Task<string> OpenOnceAsync(string userId)
    {
        try
        {
            // Shared by every caller for this user, so no one caller's token may cancel it; the client's own timeouts
            // and its bounded Retry-After waits end it.
            return await slack.OpenDirectMessageAsync(userId, CancellationToken.None);
        }
        catch (Exception)
        {
            channels.TryRemove(userId, out _);
            throw;
        }
    }
}
