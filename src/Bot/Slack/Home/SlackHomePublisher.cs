using System.Collections.Concurrent;
using PscaleBot.Bot.Slack.Api;
using PscaleBot.Bot.Slack.Identity;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Model;

namespace PscaleBot.Bot.Slack.Home;

/// <summary>
/// Who has opened the bot's App Home, and in which workspace: only their tabs are refreshed when access changes.
/// Memory only; a restart forgets, and the next <c>app_home_opened</c> brings it back.
/// </summary>
public sealed class SlackHomeAudience
{
    private readonly ConcurrentDictionary<string, string> teams = new(StringComparer.Ordinal);

    /// <summary>Remembers that <paramref name="userId"/> of <paramref name="teamId"/> looks at the Home tab.</summary>
    public void Saw(string teamId, string userId) => teams[userId] = teamId;

    /// <summary>The workspace of <paramref name="userId"/>'s Home tab, or null when they never opened it.</summary>
    public string? TeamOf(string userId) => teams.TryGetValue(userId, out var team) ? team : null;
}

/// <summary>
/// Reads what one person's App Home shows from the access store and the policy, and publishes it
/// (<c>views.publish</c>). Approvals are decided where approvers act: the rule's request channel.
/// </summary>
public sealed class SlackHomePublisher(PersonalAccessReader reader, SlackCallers callers, SlackApiClient slack, SlackHomeAudience audience)
{
    /// <summary>Publishes <paramref name="userId"/>'s Home tab.</summary>
    public async Task PublishAsync(string teamId, string userId, CancellationToken cancellationToken) =>
        await PublishAsync(teamId, userId, await callers.ForAsync(teamId, userId, null, cancellationToken), cancellationToken);

    /// <summary>Publishes <paramref name="userId"/>'s Home tab for <paramref name="caller"/>, whose groups are already read.</summary>
    public async Task PublishAsync(string teamId, string userId, ChatIdentity caller, CancellationToken cancellationToken)
    {
        audience.Saw(teamId, userId);
        var content = await ContentAsync(caller, cancellationToken);
        await slack.PublishHomeAsync(userId, SlackHomeView.Build(content), cancellationToken);
    }

    /// <summary>What <paramref name="caller"/>'s Home tab shows now; approvals are judged in the rule's request channel.</summary>
    public Task<PersonalAccess> ContentAsync(ChatIdentity caller, CancellationToken cancellationToken) =>
        reader.ReadAsync(caller, r => SlackCallers.PlaceOf(AccessText.Approvers(r.Requirement, r.Requester).ConversationId), cancellationToken);
}
