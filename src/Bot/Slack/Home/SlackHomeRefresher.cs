using Microsoft.Extensions.Options;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Bot.Slack.Home;

/// <summary>
/// Keeps App Home tabs current: whenever a request or grant changes, the tabs of the requester and of the approvers
/// the rule names by Slack id are published again, for those who have opened the tab (<see cref="SlackHomeAudience"/>).
/// Failures are thrown as <see cref="Api.SlackApiException"/>; the dispatcher logs them and the next open repairs the tab.
/// </summary>
public sealed class SlackHomeRefresher(SlackHomePublisher publisher, SlackHomeAudience audience, IOptions<SlackOptions> options) : IAccessNotifier
{
    /// <inheritdoc />
    public async Task NotifyAsync(AccessNotification notification, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled || notification.Audience.Platform != ChatPlatform.Slack)
        {
            return;
        }

        (AccessRequester? requester, ApprovalRequirement? requirement) = notification switch
        {
            AccessRequestPosted n => (n.Request.Requester, n.Request.Requirement),
            AccessRequestProgress n => (n.Request.Requester, n.Request.Requirement),
            AccessRequestSettled n => (n.Request.Requester, n.Request.Requirement),
            AccessExpiryReminder n => (n.Grant.Requester, n.Grant.Requirement),
            AccessGrantEnded n => (n.Grant.Requester, n.Grant.Requirement),
            _ => ((AccessRequester?)null, (ApprovalRequirement?)null),
        };
        if (requester is null)
        {
            return;
        }

        IEnumerable<string> people = [requester.UserId, .. requirement?.Approvers ?? []];
        foreach (var userId in people.Where(p => p.StartsWith("slack:user:", StringComparison.Ordinal)).Select(SlackHomeView.SlackUserId).Distinct(StringComparer.Ordinal))
        {
            if (audience.TeamOf(userId) is { } team)
            {
                await publisher.PublishAsync(team, userId, cancellationToken);
            }
        }
    }
}
