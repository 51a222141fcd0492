using System.Text.Json;
using Microsoft.Extensions.Options;
using PscaleBot.Bot.Chat;
using PscaleBot.Bot.Slack.Commands;
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
    /// <summary>Handles one payload (the JSON of the <c>payload</c> form field, or a Socket Mode <c>interactive</c> payload).</summary>
    public async Task HandleAsync(JsonElement payload, CancellationToken cancellationToken)
    {
        if (payload.ValueKind != JsonValueKind.Object || Str(payload, "type") != "block_actions")
        {
            LogIgnored(payload.ValueKind == JsonValueKind.Object ? Str(payload, "type") ?? "?" : "?");
            return;
        }

        var userId = Str(payload, "user", "id");
        var teamId = Str(payload, "team", "id") ?? Str(payload, "user", "team_id");
        if (userId is null || teamId is null || !payload.TryGetProperty("actions", out var actions) || actions.ValueKind != JsonValueKind.Array)
        {
            LogIgnored("block_actions without user, team or actions");
            return;
        }

        var channelId = Str(payload, "channel", "id") ?? Str(payload, "container", "channel_id");
        var channelName = Str(payload, "channel", "name");
        var messageTs = Str(payload, "container", "message_ts") ?? Str(payload, "message", "ts");
        var isEphemeral = payload.TryGetProperty("container", out var container) && container.ValueKind == JsonValueKind.Object
            && container.TryGetProperty("is_ephemeral", out var eph) && eph.ValueKind == JsonValueKind.True;
        var userName = Str(payload, "user", "username") ?? Str(payload, "user", "name");

        var router = new ActionPrefixRouter<ISlackBlockActionHandler>(handlers, h => h.ActionIdPrefix);
        IReadOnlyList<string>? groupIds = null;
        var copy = payload.Clone();
        foreach (var action in actions.EnumerateArray())
        {
            var actionId = Str(action, "action_id");
            if (actionId is null)
            {
                continue;
            }

            var handler = router.Find(actionId);
            if (handler is null)
            {
                LogNoHandler(actionId);
                continue;
            }

            var actionTs = Str(action, "action_ts");
            var key = $"slack:action:{teamId}:{userId}:{channelId}:{messageTs}:{actionId}:{actionTs}";
            if (!await ledger.TryRecordAsync(key, options.Value.DeliveryMemory, cancellationToken))
            {
                LogDuplicate(actionId);
                continue;
            }

            groupIds ??= await GroupsOfAsync(teamId, userId, cancellationToken);
            var blockAction = new SlackBlockAction(
                actionId,
                Str(action, "block_id"),
                Str(action, "value") ?? Str(action, "selected_option", "value"),
                actionTs,
                SlackIdentityFactory.Caller(userId, userName, groupIds, teamId),
                channelId is null ? null : SlackIdentityFactory.Place(channelId, channelName),
                teamId,
                userId,
                channelId,
                messageTs,
                isEphemeral,
                Str(payload, "response_url"),
                Str(payload, "trigger_id"),
                copy);
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

    private static string? Str(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
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
