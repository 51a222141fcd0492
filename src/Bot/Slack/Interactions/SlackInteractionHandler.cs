using Microsoft.Extensions.Options;
using PscaleBot.Bot.Chat;
using PscaleBot.Bot.Persistence;
using PscaleBot.Bot.Slack.Api;
using PscaleBot.Bot.Slack.Identity;
using PscaleBot.Bot.Work;
using PscaleBot.Commands.Model;

namespace PscaleBot.Bot.Slack.Interactions;

/// <summary>
/// Handles interactive payloads for either transport: acknowledges at once (Slack ignores the body for
/// block actions) and runs the matching <see cref="ISlackBlockActionHandler"/> in the background, once per click.
/// Form payloads (shortcut, suggestions, submission) go to <see cref="Forms.SlackFormInteractions"/>, whose answer is
/// the acknowledgement's body.
/// </summary>
public sealed partial class SlackInteractionHandler(
    IEnumerable<ISlackBlockActionHandler> handlers,
    Forms.SlackFormInteractions forms,
    ISlackUserGroupDirectory groups,
    IBackgroundWorkQueue queue,
    IDeliveryLedger ledger,
    AnswerAudit answers,
    SlackResponseUrlClient replies,
    SlackWorkspaceGate workspaces,
    IOptions<SlackOptions> options,
    TimeProvider time,
    ILogger<SlackInteractionHandler> logger)
{
    /// <summary>How long a "busy" notice to a clicker may take; Slack waits 3 s for the acknowledgement.</summary>
    public static readonly TimeSpan BusyNoticeBudget = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Handles one payload (the <c>payload</c> form field, or a Socket Mode <c>interactive</c> payload); returns the
    /// acknowledgement's body, or null for an empty one.
    /// </summary>
    public async Task<SlackInteractionAck?> HandleAsync(InteractionPayload payload, CancellationToken cancellationToken)
    {
        if (payload is not BlockActionsPayload clicks)
        {
            return await forms.HandleAsync(payload, cancellationToken);
        }

        await HandleClicksAsync(clicks, cancellationToken);
        return null;
    }

    private async Task HandleClicksAsync(BlockActionsPayload clicks, CancellationToken cancellationToken)
    {
        var userId = clicks.User?.Id;
        var teamId = clicks.Team?.Id ?? clicks.User?.TeamId;
        if (userId is null || teamId is null || clicks.Actions is null)
        {
            LogIgnored("block_actions without user, team or actions");
            return;
        }

        var channelId = clicks.Channel?.Id ?? clicks.Container?.ChannelId;
        var messageTs = clicks.Container?.MessageTs ?? clicks.Message?.Ts;
        var userName = clicks.User?.Username ?? clicks.User?.Name;
        if (await RefusedAsync(clicks, teamId, userId, channelId, cancellationToken))
        {
            return;
        }

        try
        {
            await RouteClicksAsync(clicks, teamId, userId, channelId, messageTs, userName, cancellationToken);
        }
        catch (StoreUnavailableException)
        {
            // Whether this click already ran cannot be known: run nothing, and tell the clicker (the ack shows nothing).
            // The outage itself is logged once by the store.
            TellClicker(clicks.ResponseUrl, SlackStoreDownAnswer.Message, "slack store down notice");
        }
    }

    private async Task RouteClicksAsync(
        BlockActionsPayload clicks, string teamId, string userId, string? channelId, string? messageTs, string? userName, CancellationToken cancellationToken)
    {
        var router = new ActionPrefixRouter<ISlackBlockActionHandler>(handlers, h => h.ActionIdPrefix);
        IReadOnlyList<string>? groupIds = null;
        foreach (var action in clicks.Actions!)
        {
            if (action.ActionId is not { } actionId)
            {
                continue;
            }

            var handler = router.Find(actionId);
            if (handler is null)
            {
                LogNoHandler(actionId);
                continue;
            }

            var key = $"slack:action:{teamId}:{userId}:{channelId}:{messageTs}:{actionId}:{action.ActionTs}";
            if (!await ledger.TryRecordAsync(key, options.Value.DeliveryMemory, cancellationToken))
            {
                LogDuplicate(actionId);
                continue;
            }

            groupIds ??= (await groups.GroupsWithinAsync(teamId, userId, options.Value.GroupLookupTimeout, time, cancellationToken)).Groups;
            var blockAction = new SlackBlockAction(
                actionId,
                action.BlockId,
                action.Value ?? action.SelectedOption?.Value,
                action.ActionTs,
                SlackIdentityFactory.Caller(userId, userName, groupIds, teamId),
                channelId is null ? null : SlackIdentityFactory.Place(channelId, clicks.Channel?.Name),
                teamId,
                userId,
                channelId,
                messageTs,
                clicks.Container?.IsEphemeral ?? false,
                clicks.ResponseUrl,
                clicks.TriggerId,
                clicks);
            var prefix = handler.ActionIdPrefix;
            var queued = queue.TryEnqueue(new BackgroundWorkItem(
                $"slack action {actionId}",
                (services, ct) => RunAsync(services, prefix, blockAction, ct),
                Owner: blockAction.Caller.UserId));
            if (!queued)
            {
                await ledger.ForgetAsync(key, CancellationToken.None);
                LogBusy(actionId);

                // A refused click is audited like a refused command: who clicked what, where, and that it never ran.
                var place = blockAction.Place ?? new ChatPlace([], IsDirect: false, "an unknown Slack channel");
                await answers.RecordNotRunAsync(new ChatRequest(blockAction.Caller, place, $"button {actionId}"), AnswerNotices.RefusedBusy, CancellationToken.None);
                await TellClickerNowAsync(clicks.ResponseUrl, SlackBusyAnswer.For(queue.RetryAfter(blockAction.Caller.UserId)));
            }
        }
    }

    // A click from another organization's workspace (a Slack Connect channel holds approval buttons too) runs nothing.
    // Both the workspace the click came through and the clicker's own workspace must be served.
    private async Task<bool> RefusedAsync(BlockActionsPayload clicks, string teamId, string userId, string? channelId, CancellationToken cancellationToken)
    {
        var what = "button " + string.Join(", ", clicks.Actions!.Select(a => a.ActionId ?? "?"));
        foreach (var team in new[] { teamId, clicks.User?.TeamId }.Where(t => !string.IsNullOrEmpty(t)).Distinct(StringComparer.Ordinal))
        {
            var origin = new SlackRequestOrigin(team, clicks.Enterprise?.Id, userId, channelId, clicks.Channel?.Name, what);
            if (await workspaces.RefuseAsync(origin, cancellationToken) is not { } refusal)
            {
                continue;
            }

            TellClicker(clicks.ResponseUrl, refusal, "slack workspace refusal");
            return true;
        }

        return false;
    }

    // The acknowledgement of a click shows nothing; a sentence goes to the clicker alone, through the response_url.
    private void TellClicker(string? responseUrl, SlackResponseMessage message, string description)
    {
        if (responseUrl is not null)
        {
            queue.TryEnqueue(new BackgroundWorkItem(
                description,
                (services, ct) => services.GetRequiredService<SlackResponseUrlClient>().PostAsync(responseUrl, message, ct)));
        }
    }

    // The queue is full, so a notice cannot wait in it: it is posted now, before the acknowledgement, within a budget
    // that leaves Slack's 3 seconds for the acknowledgement itself. A notice that fails is logged; the click was audited.
    private async Task TellClickerNowAsync(string? responseUrl, SlackResponseMessage message)
    {
        if (responseUrl is null)
        {
            return;
        }

        using var budget = new CancellationTokenSource(BusyNoticeBudget, time);
        try
        {
            await replies.PostAsync(responseUrl, message, budget.Token);
        }
        catch (Exception ex) when (ex is SlackApiException or OperationCanceledException)
        {
            LogBusyNoticeFailed(ex is SlackApiException api ? api.Error : "timeout");
        }
    }

    private static Task RunAsync(IServiceProvider services, string prefix, SlackBlockAction action, CancellationToken cancellationToken)
    {
        var handler = services.GetServices<ISlackBlockActionHandler>().First(h => h.ActionIdPrefix == prefix);
        return handler.HandleAsync(action, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored Slack interaction of type {Type}")]
    private partial void LogIgnored(string type);

    [LoggerMessage(Level = LogLevel.Information, Message = "No handler for Slack action {ActionId}")]
    private partial void LogNoHandler(string actionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ignored a re-delivered Slack action {ActionId}")]
    private partial void LogDuplicate(string actionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Background queue full; dropped Slack action {ActionId}")]
    private partial void LogBusy(string actionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell a Slack clicker that the bot is busy ({Error})")]
    private partial void LogBusyNoticeFailed(string error);
}
