using Microsoft.Extensions.Options;
using PscaleBot.Bot.Teams.Connector;
using PscaleBot.Bot.Teams.Protocol;
using PscaleBot.Bot.Teams.Protocol.Cards;
using PscaleBot.Bot.Teams.Rendering;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Model;

namespace PscaleBot.Bot.Teams.Access;

/// <summary>
/// Delivers access notices to Teams: requests as approval cards in the approvers' channel (kept in
/// <see cref="ITeamsApprovalCardStore"/>, so the card is replaced, by any replica and after a restart, with the outcome when the request progresses or settles), private notices in the
/// requester's 1:1 chat, expiry reminders with an Extend button, alerts mentioning approvers. Audiences on other
/// platforms are ignored. A place the bot cannot reach (never seen, no <c>Teams:ServiceUrl</c>) is logged; the
/// headless notifier still records every notice in the audit.
/// </summary>
internal sealed partial class TeamsAccessNotifier(
    IBotConnectorClient connector,
    TeamsConversationDirectory directory,
    ITeamsApprovalCardStore cards,
    ApproverMris approverMris,
    IOptionsMonitor<TeamsOptions> options,
    ILogger<TeamsAccessNotifier> logger) : IAccessNotifier
{
    public async Task NotifyAsync(AccessNotification notification, CancellationToken cancellationToken)
    {
        if (notification.Audience.Platform != ChatPlatform.Teams || !options.CurrentValue.Enabled)
        {
            return;
        }

        switch (notification)
        {
            case AccessRequestPosted posted:
                await PostRequestAsync(posted, cancellationToken);
                break;
            case AccessRequestProgress progress:
                await ReplaceCardAsync(progress.Audience, progress.Request.Id,
                    AccessCards.ForEveryone(progress.Request, AccessCards.RequestActions(progress.Request.Id), await approverMris.OfAsync(progress.Request, cancellationToken)), cancellationToken);
                break;
            case AccessRequestSettled settled:
                await ReplaceCardAsync(settled.Audience, settled.Request.Id, AccessCards.Settled(settled.Request, null, settled.Text), cancellationToken);
                await cards.ForgetAsync(settled.Request.Id, cancellationToken);
                break;
            case AccessExpiryReminder reminder:
                await SendAsync(reminder.Audience, TeamsMessage.FromCard(AccessCards.Reminder(reminder)), cancellationToken);
                break;
            case AccessAlert alert:
                await SendAsync(alert.Audience, TeamsMessage.FromCard(AccessCards.Alert(alert)), cancellationToken);
                break;
            default:
                await SendAsync(notification.Audience, TeamsMessage.Plain(notification.Text), cancellationToken);
                break;
        }
    }

    private async Task PostRequestAsync(AccessRequestPosted posted, CancellationToken cancellationToken)
    {
        if (await ResolveAsync(posted.Audience, cancellationToken) is not { } where)
        {
            return;
        }

        var card = AccessCards.ForEveryone(posted.Request, posted.Actions, await approverMris.OfAsync(posted.Request, cancellationToken), posted.Note);
        var id = await connector.SendAsync(where, TeamsMessage.FromCard(card).ToActivity(), cancellationToken);
        if (id is not null)
        {
            await cards.SaveAsync(new TeamsApprovalCard(posted.Request.Id, where, id), cancellationToken);
        }
    }

    private async Task ReplaceCardAsync(AccessAudience audience, string requestId, AdaptiveCard card, CancellationToken cancellationToken)
    {
        if (await cards.FindAsync(requestId, cancellationToken) is { } posted)
        {
            await connector.UpdateAsync(posted.Where, posted.ActivityId, TeamsMessage.FromCard(card).ToActivity(), cancellationToken);
            return;
        }

        // The card was never posted in Teams (no place known then): say the outcome as a new message.
        await SendAsync(audience, TeamsMessage.FromCard(card), cancellationToken);
    }

    private async Task SendAsync(AccessAudience audience, TeamsMessage message, CancellationToken cancellationToken)
    {
        if (await ResolveAsync(audience, cancellationToken) is { } where)
        {
            await connector.SendAsync(where, message.ToActivity(), cancellationToken);
        }
    }

    /// <summary>The conversation of an audience: a channel or chat, or the person's 1:1 chat (opened if needed).</summary>
    private async Task<ConversationReference?> ResolveAsync(AccessAudience audience, CancellationToken cancellationToken)
    {
        if (audience.UserId is { } userId)
        {
            if (await directory.FindUserAsync(userId, cancellationToken) is not { } user)
            {
                LogUnreachable(userId);
                return null;
            }

            return user.ConversationId.Length > 0
                ? user
                : user with { ConversationId = await connector.CreatePersonalConversationAsync(user, cancellationToken) };
        }

        if (audience.ConversationId is { } placeId && await directory.FindPlaceAsync(placeId, cancellationToken) is { } place)
        {
            return place;
        }

        LogUnreachable(audience.ConversationId ?? "nobody");
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No Teams conversation known for {Target}: the bot has never seen it and Teams:ServiceUrl is not set; the notice was not posted in Teams")]
    private partial void LogUnreachable(string target);
}
