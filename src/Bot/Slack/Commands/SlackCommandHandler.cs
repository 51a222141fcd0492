using Microsoft.Extensions.Options;
using PscaleBot.Bot.Chat;
using PscaleBot.Bot.Persistence;
using PscaleBot.Bot.Slack.Api;
using PscaleBot.Bot.Slack.Identity;
using PscaleBot.Bot.Slack.Rendering;
using PscaleBot.Bot.Work;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Bot.Slack.Commands;

/// <summary>
/// Handles one slash command for either transport within Slack's 3-second budget: parse and authorise at
/// once, answer errors, denials and help in the acknowledgement, and queue real work whose result is posted
/// to the <c>response_url</c>. Re-deliveries and double submits of a change run once. No text, or <c>access request</c>
/// alone, opens the access request form instead.
/// </summary>
public sealed partial class SlackCommandHandler(
    ICommandPipeline pipeline,
    ISlackUserGroupDirectory groups,
    IBackgroundWorkQueue queue,
    BackgroundAnswerRunner runner,
    AnswerAudit answers,
    PendingNotices pending,
    SlackReplyPlanner planner,
    IDeliveryLedger ledger,
    SlackWorkspaceGate workspaces,
    Forms.SlackAccessForm forms,
    IOptions<SlackOptions> options,
    TimeProvider time,
    ILogger<SlackCommandHandler> logger)
{
    /// <summary>
    /// Handles <paramref name="command"/>; returns the immediate answer to put in the acknowledgement, or null
    /// for an empty acknowledgement (the answer follows through the <c>response_url</c>).
    /// </summary>
    public async Task<SlackResponseMessage?> HandleAsync(SlackSlashCommand command, CancellationToken cancellationToken)
    {
        // Before anything else (group lookups included): another organization's workspace gets nothing but the refusal.
        var origin = new SlackRequestOrigin(command.TeamId, command.EnterpriseId, command.UserId, command.ChannelId, command.ChannelName,
            SlackCommandText.ToPlain(command.Text));
        if (await workspaces.RefuseAsync(origin, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        if (Forms.SlackAccessForm.Opens(SlackCommandText.ToPlain(command.Text)) && command.TriggerId is { } trigger)
        {
            // The form opens with views.open on the trigger_id; the acknowledgement stays empty.
            return forms.TryOpen(command.TeamId, command.UserId, command.UserName, trigger, new Forms.AccessFormOrigin(command.ChannelId, command.ChannelName))
                ? null
                : Ephemeral(":hourglass_flowing_sand: The bot is busy right now, so the form was not opened. Try again in a minute, or type the command.");
        }

        SlackResponseMessage? answer;
        try
        {
            answer = await AnswerAsync(command, cancellationToken);
        }
        catch (StoreUnavailableException)
        {
            // Whether this delivery already ran cannot be known, and nothing could be audited: run nothing, say so.
            // The outage itself is logged once by the store.
            return SlackStoreDownAnswer.Message;
        }

        return WithPendingNotices(answer, command);
    }

    private async Task<SlackResponseMessage?> AnswerAsync(SlackSlashCommand command, CancellationToken cancellationToken)
    {
        var deliveryKey = DeliveryKey(command);
        if (deliveryKey is not null && !await ledger.TryRecordAsync(deliveryKey, options.Value.DeliveryMemory, cancellationToken))
        {
            LogDuplicateDelivery(command.ChannelId, command.UserId);
            return null;
        }

        var target = new SlackReplyTarget(command.TeamId, command.ChannelId, command.UserId, command.ResponseUrl,
            SlackIdentityFactory.IsDirectMessage(command.ChannelId, command.ChannelName));
        var membership = await GroupsOfAsync(command.TeamId, command.UserId, cancellationToken);
        var request = new ChatRequest(
            SlackIdentityFactory.Caller(command.UserId, command.UserName, membership.Groups, command.TeamId),
            SlackIdentityFactory.Place(command.ChannelId, command.ChannelName),
            SlackCommandText.ToPlain(command.Text),
            command.TriggerId);

        PreparedCommand prepared;
        try
        {
            prepared = await pipeline.PrepareAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Slack shows a bare "failed" for a 500; a sentence is kinder, and nothing ran.
            await ForgetAsync(deliveryKey);
            logger.LogError("Preparing a Slack command failed with {ExceptionType}", ex.GetType().Name);
            return Ephemeral(":x: Something went wrong inside the bot before this command could run. Nothing was changed; please try again.");
        }

        if (prepared.ImmediateResponse is { } immediate)
        {
            var now = AnswerNow(immediate, target);
            return membership.Known || prepared.Decision is not PolicyDecision.Denied ? now : SlackGroupNotice.Prepend(now);
        }

        string? changeKey = null;
        if (prepared.Command?.IsMutating == true)
        {
            changeKey = $"slack:change:{command.TeamId}:{command.ChannelId}:{command.UserId}:{Normalize(command.Text)}";
            if (!await ledger.TryRecordAsync(changeKey, options.Value.DuplicateWindow, cancellationToken))
            {
                LogDuplicateChange(command.ChannelId, command.UserId);
                return Ephemeral(":repeat: The same change was just submitted, so this duplicate was ignored. " +
                    $"If you really mean to run it twice, wait {options.Value.DuplicateWindow.TotalSeconds:0} seconds and send it again.");
            }
        }

        var queued = runner.TryQueue(
            $"slack command {prepared.Command?.PolicyName ?? "?"} in {command.ChannelId}",
            target,
            (services, ct) => services.GetRequiredService<ICommandPipeline>().ExecuteAsync(prepared, ct),
            prepared.Command?.Options.Format ?? OutputFormat.Human,
            prepared);
        if (!queued)
        {
            // Nothing ran: let the person (or Slack) try again without being taken for a duplicate.
            await ForgetAsync(deliveryKey);
            await ForgetAsync(changeKey);
            LogBusy(command.ChannelId);
            await answers.RecordAsync(prepared, AnswerNotices.RefusedBusy, CancellationToken.None);
            return SlackBusyAnswer.For(runner.RetryAfter(prepared));
        }

        return null;
    }

    private SlackResponseMessage? AnswerNow(CommandResponse response, SlackReplyTarget target)
    {
        var replies = planner.Plan(response, target);
        if (replies.Count == 0)
        {
            return null;
        }

        // The acknowledgement carries the first message (it needs no response_url); anything more follows.
        var first = replies[0];
        var rest = replies.Skip(1).ToList();
        if (rest.Count > 0 && !queue.TryEnqueue(new BackgroundWorkItem(
                $"slack follow-up in {target.ChannelId}",
                (services, ct) => services.GetRequiredService<SlackReplySender>().DeliverAsync(target, rest, ct))))
        {
            LogBusy(target.ChannelId);
        }

        return first.Message;
    }

    /// <summary>
    /// Adds what could not reach this person earlier (a lost token secret) to the acknowledgement, which needs no
    /// response_url: the route most likely to work.
    /// </summary>
    private SlackResponseMessage? WithPendingNotices(SlackResponseMessage? answer, SlackSlashCommand command)
    {
        var notices = pending.Take(SlackIdentityFactory.Caller(command.UserId, command.UserName, [], command.TeamId));
        if (notices.Count == 0)
        {
            return answer;
        }

        var text = string.Join("\n", notices.Select(n => ":warning: " + n));
        return answer is null
            ? Ephemeral(text)
            : answer with { Text = text + "\n" + answer.Text, Blocks = [BlockKit.Section(text), .. answer.Blocks ?? []] };
    }

    private async Task<SlackGroupMembership> GroupsOfAsync(string teamId, string userId, CancellationToken cancellationToken)
    {
        var membership = await groups.GroupsWithinAsync(teamId, userId, options.Value.GroupLookupTimeout, time, cancellationToken);
        if (!membership.Known)
        {
            LogGroupLookupSlow(userId);
        }

        return membership;
    }

    private static SlackResponseMessage Ephemeral(string mrkdwn) =>
        new(SlackResponseType.Ephemeral, mrkdwn, [BlockKit.Section(mrkdwn)]);

    private static string? DeliveryKey(SlackSlashCommand command) =>
        command.TriggerId is null ? null : $"slack:command:{command.TeamId}:{command.ChannelId}:{command.UserId}:{command.TriggerId}:{command.Text}";

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private async ValueTask ForgetAsync(string? key)
    {
        if (key is not null)
        {
            // Not the request's token: the key must go even when Slack has stopped waiting.
            await ledger.ForgetAsync(key, CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ignored a re-delivered Slack command in {ChannelId} from {UserId}")]
    private partial void LogDuplicateDelivery(string channelId, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ignored a double-submitted Slack change in {ChannelId} from {UserId}")]
    private partial void LogDuplicateChange(string channelId, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Background queue full; refused a Slack command in {ChannelId}")]
    private partial void LogBusy(string channelId);

    // Debug: the directory logs the Slack outage behind it once (SlackUserGroupDirectory); this would repeat it per command.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Slack user groups of {UserId} could not be read in time; continuing without groups")]
    private partial void LogGroupLookupSlow(string userId);
}
