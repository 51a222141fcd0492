using Microsoft.Extensions.Options;
using PscaleBot.Bot.Slack.Api;
using PscaleBot.Bot.Slack.Rendering;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Model;

namespace PscaleBot.Bot.Slack.Access;

/// <summary>
/// Delivers access notices in Slack: the request to the approvers' channel with Approve / Deny (and where
/// it went, so progress and the outcome can <c>chat.update</c> the same message), private notes and
/// reminders as a DM (<c>chat.postMessage</c> to the user id), alerts loudly to the approvers' channel.
/// Ignores notices for other platforms, and everything while Slack is off. Failures are thrown as
/// <see cref="SlackApiException"/>; the dispatcher logs them without undoing the grant.
/// </summary>
public sealed partial class SlackAccessNotifier(
    SlackApiClient slack,
    ISlackAccessPostStore posts,
    IOptions<SlackOptions> options,
    ILogger<SlackAccessNotifier> logger) : IAccessNotifier
{
    /// <inheritdoc />
    public async Task NotifyAsync(AccessNotification notification, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled || notification.Audience.Platform != ChatPlatform.Slack)
        {
            return;
        }

        switch (notification)
        {
            case AccessRequestPosted posted:
                await PostRequestAsync(posted, cancellationToken);
                break;
            case AccessRequestProgress progress:
                await UpdateRequestAsync(progress.Request, SlackAccessMessages.Progress(progress.Request, progress.Text), progress.Audience, cancellationToken);
                break;
            case AccessRequestSettled settled:
                await UpdateRequestAsync(settled.Request, SlackAccessMessages.Settled(settled.Request, settled.Text), settled.Audience, cancellationToken);
                break;
            case AccessExpiryReminder reminder:
                await SendAsync(reminder.Audience, SlackAccessMessages.Reminder(reminder), cancellationToken);
                break;
            case AccessAlert alert:
                await SendAsync(alert.Audience, SlackAccessMessages.Alert(alert), cancellationToken);
                break;
            case AccessGrantEnded ended:
                await SendAsync(ended.Audience, SlackAccessMessages.Plain(":lock:", ended.Text), cancellationToken);
                break;
            default:
                await SendAsync(notification.Audience, SlackAccessMessages.Plain(":information_source:", notification.Text), cancellationToken);
                break;
        }
    }

    private async Task PostRequestAsync(AccessRequestPosted posted, CancellationToken cancellationToken)
    {
        if (Destination(posted.Audience) is not { } channel)
        {
            LogNowhere(nameof(AccessRequestPosted), posted.Request.Id);
            return;
        }

        var message = SlackAccessMessages.Request(posted.Request, posted.Text, posted.Actions);
        var ts = await slack.PostMessageAsync(channel, message.Text, message.Blocks, cancellationToken);
        if (!string.IsNullOrEmpty(ts))
        {
            await posts.SaveAsync(new SlackAccessPost(posted.Request.Id, channel, ts), cancellationToken);
        }
    }

    private async Task UpdateRequestAsync(AccessRequest request, SlackMessage message, AccessAudience audience, CancellationToken cancellationToken)
    {
        if (await posts.FindAsync(request.Id, cancellationToken) is { } post)
        {
            try
            {
                await slack.UpdateAsync(post.ChannelId, post.Ts, message.Text, message.Blocks, cancellationToken);
                return;
            }
            catch (SlackApiException ex) when (ex.Error is "message_not_found" or "cant_update_message" or "channel_not_found" or "edit_window_closed")
            {
                // The original is gone or cannot be edited: say it in a new message instead, so approvers still learn the outcome.
                LogUpdateFailed(request.Id, ex.Error);
            }
        }

        // Never posted (Slack was down when the request was filed): post the current state so it is on record.
        await SendAsync(audience, message, cancellationToken);
    }

    private async Task SendAsync(AccessAudience audience, SlackMessage message, CancellationToken cancellationToken)
    {
        if (Destination(audience) is not { } channel)
        {
            LogNowhere("notice", audience.ConversationId ?? audience.UserId ?? "nobody");
            return;
        }

        await slack.PostMessageAsync(channel, message.Text, message.Blocks, cancellationToken);
    }

    // A person is reached by posting to their user id: Slack delivers it as a DM from the app.
    private static string? Destination(AccessAudience audience) =>
        SlackAccessMessages.SlackId(audience.ConversationId, "slack:channel:")
        ?? SlackAccessMessages.SlackId(audience.UserId, "slack:user:");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack access {Notice} for {Subject} has no Slack channel or user to go to; not posted")]
    private partial void LogNowhere(string notice, string subject);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Updating the Slack message of access request {RequestId} failed with {Error}; posting the outcome anew")]
    private partial void LogUpdateFailed(string requestId, string error);
}
