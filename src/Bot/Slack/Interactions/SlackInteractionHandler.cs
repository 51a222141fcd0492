using Microsoft.Extensions.Options;
using PscaleBot.Bot.Chat;
using PscaleBot.Bot.Slack.Identity;
using PscaleBot.Bot.Work;

namespace PscaleBot.Bot.Slack.Interactions;

/// <summary>
/// Handles interactive payloads for either transport: acknowledges at once (Slack ignores the body for
/// block actions) and runs the matching <see cref="ISlackBlockActionHandler"/> in the background, once per click.
/// </summary>
public sealed partial class SlackInteractionHandler(
    IEnumerable<ISlackBlockActionHandler> handlers,
    ISlackUserGroupDirectory groups,
    IBackgroundWorkQueue queue,
    IDeliveryLedger ledger,
    IOptions<SlackOptions> options,
    TimeProvider time,
    ILogger<SlackInteractionHandler> logger)
{
    /// <summary>Handles one payload (the <c>payload</c> form field, or a Socket Mode <c>interactive</c> payload).</summary>
    public async Task HandleAsync(InteractionPayload payload, CancellationToken cancellationToken)
    {
        if (payload is not BlockActionsPayload clicks)
        {
            LogIgnored(payload.GetType().Name);
            return;
        }

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

        var router = new ActionPrefixRouter<ISlackBlockActionHandler>(handlers, h => h.ActionIdPrefix);
        IReadOnlyList<string>? groupIds = null;
        foreach (var action in clicks.Actions)
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

            groupIds ??= await GroupsOfAsync(teamId, userId, cancellationToken);
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
                (services, ct) => RunAsync(services, prefix, blockAction, ct)));
            if (!queued)
            {
                await ledger.ForgetAsync(key, CancellationToken.None);
                LogBusy(actionId);
            }
        }
    }

    private static Task RunAsync(IServiceProvider services, string prefix, SlackBlockAction action, CancellationToken cancellationToken)
    {
        var handler = services.GetServices<ISlackBlockActionHandler>().First(h => h.ActionIdPrefix == prefix);
        return handler.HandleAsync(action, cancellationToken);
    }

    private async Task<IReadOnlyList<string>> GroupsOfAsync(string teamId, string userId, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.Value.GroupLookupTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await groups.GroupsOfAsync(teamId, userId, linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return [];
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored Slack interaction of type {Type}")]
    private partial void LogIgnored(string type);

    [LoggerMessage(Level = LogLevel.Information, Message = "No handler for Slack action {ActionId}")]
    private partial void LogNoHandler(string actionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ignored a re-delivered Slack action {ActionId}")]
    private partial void LogDuplicate(string actionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Background queue full; dropped Slack action {ActionId}")]
    private partial void LogBusy(string actionId);
}
