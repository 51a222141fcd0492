using PscaleBot.Bot.Slack.Api;
using PscaleBot.Bot.Slack.Commands;
using PscaleBot.Bot.Slack.Home;
using PscaleBot.Bot.Slack.Identity;
using PscaleBot.Bot.Slack.Interactions;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Results;

namespace PscaleBot.Bot.Slack.Access;

/// <summary>
/// Turns a click on an access button into the typed command (<c>access approve r-7kq2</c>) and runs it through
/// the pipeline as the clicker, in the place of the click, so it passes exactly the checks typed text does.
/// The answer goes privately to the clicker; the request's message itself is updated by
/// <see cref="SlackAccessNotifier"/> when the workflow settles it, so a refused click leaves it as it was.
/// A click in the App Home tab has no place of its own: it runs where the typed command would be decided (the rule's
/// request channel for approve and deny, where it was requested otherwise), its answer is a DM, and the tab is
/// published again.
/// </summary>
public sealed partial class SlackAccessActionHandler(
    ICommandPipeline pipeline,
    SlackReplyPlanner planner,
    SlackReplySender sender,
    IAccessStore store,
    SlackHomePublisher home,
    ILogger<SlackAccessActionHandler> logger) : ISlackBlockActionHandler
{
    /// <inheritdoc />
    public string ActionIdPrefix => "pscale.access.";

    /// <inheritdoc />
    public async Task HandleAsync(SlackBlockAction action, CancellationToken cancellationToken)
    {
        var fromHome = action.ChannelId is null && action.Payload.View?.Type == "home";
        var channelId = action.ChannelId ?? action.UserId;
        var target = new SlackReplyTarget(action.TeamId, channelId, action.UserId, action.ResponseUrl,
            action.Place?.IsDirect ?? SlackIdentityFactory.IsDirectMessage(channelId, null) || fromHome);
        if (CommandFor(action) is not { } text)
        {
            LogUnknown(action.ActionId);
            await ReplyAsync(target, Error("That button is not one this bot knows, so nothing was done.", "Type `access list` to see requests and grants."), cancellationToken);
            return;
        }

        var place = fromHome ? await HomePlaceAsync(action, cancellationToken) : action.Place ?? SlackIdentityFactory.Place(channelId, null);
        var request = new ChatRequest(action.Caller, place, text, action.TriggerId ?? action.ActionTs);
        CommandResponse response;
        try
        {
            response = await pipeline.RunAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(action.ActionId, ex.GetType().Name);
            response = Error("Something went wrong inside the bot while handling that click.", $"Check with `access list`, or type `{text}`.", ErrorCategory.Internal);
        }

        // The message the click came from shows the outcome once it settles: no channel announcement on top.
        await ReplyAsync(target, response with { Announcement = null }, cancellationToken);
        if (fromHome)
        {
            await home.PublishAsync(action.TeamId, action.UserId, action.Caller, cancellationToken);
        }
    }

    private static string? CommandFor(SlackBlockAction action) =>
        action.ActionId == SlackHomeView.CancelActionId
            ? (AccessIdGenerator.Normalize(action.Value, AccessIdGenerator.RequestPrefix) is { } id && id == action.Value ? $"access cancel {id}" : null)
            : AccessActionCommand.For(action.ActionId, action.Value);

    // Where the typed command would be decided: approvers act in the rule's request channel; the requester where they asked.
    private async Task<ChatPlace> HomePlaceAsync(SlackBlockAction action, CancellationToken cancellationToken)
    {
        if (action.Value is not { } id)
        {
            return SlackCallers.PlaceOf(null);
        }

        if (id.StartsWith(AccessIdGenerator.GrantPrefix, StringComparison.Ordinal))
        {
            var grant = await store.GetGrantAsync(id, cancellationToken);
            return SlackCallers.PlaceOf(grant?.Requester.PlaceId);
        }

        var pending = await store.GetRequestAsync(id, cancellationToken);
        if (pending is null)
        {
            return SlackCallers.PlaceOf(null);
        }

        return action.ActionId is AccessActionIds.Approve or AccessActionIds.Deny
            ? SlackCallers.PlaceOf(AccessText.Approvers(pending.Requirement, pending.Requester).ConversationId)
            : SlackCallers.PlaceOf(pending.Requester.PlaceId);
    }

    private async Task ReplyAsync(SlackReplyTarget target, CommandResponse response, CancellationToken cancellationToken)
    {
        var replies = planner.Plan(response, target)
            .Select(r => r with { Message = r.Message with { ResponseType = SlackResponseType.Ephemeral, ReplaceOriginal = false } })
            .ToList();
        await sender.DeliverAsync(target, replies, cancellationToken);
    }

    private static CommandResponse Error(string message, string? hint, ErrorCategory category = ErrorCategory.Usage) =>
        new([new ErrorResult(message, hint, null, category)], OutputFormat.Human, ResponseVisibility.Private);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored Slack access action {ActionId} with no usable id")]
    private partial void LogUnknown(string actionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack access action {ActionId} failed with {ExceptionType}")]
    private partial void LogFailed(string actionId, string exceptionType);
}
