namespace PscaleBot.Bot.Slack.Identity;

/// <summary>A user's groups within a time budget, shared by slash commands and button clicks.</summary>
public static class SlackGroupLookup
{
    /// <summary>
    /// The groups of <paramref name="userId"/>. When the workspace's read takes longer than <paramref name="budget"/>
    /// the last known membership answers, and without one the groups are <see cref="SlackGroupMembership.Unknown"/>:
    /// then only user bindings apply, which can deny, never wrongly allow.
    /// </summary>
    public static async Task<SlackGroupMembership> GroupsWithinAsync(
        this ISlackUserGroupDirectory groups, string teamId, string userId, TimeSpan budget, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(budget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await groups.GroupsOfAsync(teamId, userId, linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return groups.LastKnown(teamId, userId) ?? SlackGroupMembership.Unknown;
        }
    }
}
