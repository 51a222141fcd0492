using PscaleBot.Bot.Slack.Identity;
using PscaleBot.Bot.Slack.Interactions;

namespace PscaleBot.Bot.Slack.Forms;

/// <summary>
/// The interactions of the access form for either transport: the message shortcut opens it, <c>block_suggestion</c>
/// lists tokens, <c>view_submission</c> runs it. Another organization's workspace gets nothing (and is audited).
/// </summary>
public sealed partial class SlackFormInteractions(
    SlackAccessForm form,
    SlackAccessFormSubmission submission,
    SlackWorkspaceGate workspaces,
    ILogger<SlackFormInteractions> logger)
{
    /// <summary>The acknowledgement body for <paramref name="payload"/>, or null for an empty one.</summary>
    public async Task<SlackInteractionAck?> HandleAsync(InteractionPayload payload, CancellationToken cancellationToken)
    {
        var userId = payload.User?.Id;
        var teamId = payload.Team?.Id ?? payload.User?.TeamId;
        if (userId is null || teamId is null)
        {
            LogIgnored(payload.GetType().Name);
            return null;
        }

        var what = payload switch
        {
            MessageActionPayload shortcut when shortcut.CallbackId == SlackAccessForm.ShortcutCallbackId => "shortcut request access",
            BlockSuggestionPayload { View.CallbackId: AccessRequestModal.CallbackId } => "access form suggestions",
            ViewSubmissionPayload { View.CallbackId: AccessRequestModal.CallbackId } => "access form",
            _ => null,
        };
        if (what is null)
        {
            LogIgnored(payload.GetType().Name);
            return null;
        }

        var channel = (payload as MessageActionPayload)?.Channel;
        if (await workspaces.RefuseAsync(new SlackRequestOrigin(teamId, payload.Enterprise?.Id, userId, channel?.Id, channel?.Name, what), cancellationToken) is not null)
        {
            return payload is BlockSuggestionPayload ? new SlackOptionsAck([]) : null;
        }

        switch (payload)
        {
            case MessageActionPayload shortcut:
                if (shortcut.TriggerId is { } trigger && shortcut.Channel?.Id is { } channelId)
                {
                    var permalink = shortcut.MessageTs is { } ts ? (channelId, ts) : ((string, string)?)null;
                    if (!form.TryOpen(teamId, userId, payload.User?.Username, trigger, new AccessFormOrigin(channelId, shortcut.Channel.Name), permalink))
                    {
                        LogBusy(userId);
                    }
                }

                return null;
            case BlockSuggestionPayload suggestion:
                return await form.SuggestAsync(suggestion, cancellationToken);
            case ViewSubmissionPayload submitted:
                return await submission.SubmitAsync(submitted, cancellationToken);
            default:
                return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored Slack interaction of type {Type}")]
    private partial void LogIgnored(string type);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Background queue full; the access form for {UserId} was not opened")]
    private partial void LogBusy(string userId);
}
