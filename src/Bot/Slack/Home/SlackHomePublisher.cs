using System.Collections.Concurrent;
using PscaleBot.Bot.Slack.Api;
using PscaleBot.Bot.Slack.Identity;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;

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
public sealed class SlackHomePublisher(IAccessStore store, IAuthorizationPolicy policy, SlackCallers callers, SlackApiClient slack, SlackHomeAudience audience, TimeProvider time)
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

    /// <summary>What <paramref name="caller"/>'s Home tab shows now.</summary>
    public async Task<SlackHomeContent> ContentAsync(ChatIdentity caller, CancellationToken cancellationToken)
    {
        var grants = (await store.ListActiveGrantsAsync(cancellationToken))
            .Where(g => g.Requester.UserId == caller.UserId)
            .OrderBy(g => g.EndsAt)
            .ToList();
        var pending = await store.ListPendingRequestsAsync(cancellationToken);
        var mine = pending.Where(r => r.Requester.UserId == caller.UserId).OrderBy(r => r.CreatedAt).ToList();
        var toApprove = pending
            .Where(r => r.Requester.UserId != caller.UserId && !r.HasApproved(caller.UserId)
                && policy.IsApprover(caller, SlackCallers.PlaceOf(AccessText.Approvers(r.Requirement, r.Requester).ConversationId), r.Requirement))
            .OrderBy(r => r.CreatedAt)
            .ToList();
        return new SlackHomeContent(grants, toApprove, mine, time.GetUtcNow());
    }
}
