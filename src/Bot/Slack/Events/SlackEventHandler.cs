using Microsoft.Extensions.Options;
using PscaleBot.Bot.Chat;
using PscaleBot.Bot.Slack.Home;
using PscaleBot.Bot.Slack.Identity;
using PscaleBot.Bot.Work;

namespace PscaleBot.Bot.Slack.Events;

/// <summary>
/// Events API callbacks for either transport. Each event runs once: Slack retries (<c>X-Slack-Retry-Num</c>, or
/// <c>retry_attempt</c> over Socket Mode) carry the same <c>event_id</c>, which the delivery ledger remembers. The only
/// event handled is <c>app_home_opened</c> on the Home tab, which publishes that person's Home view in the background.
/// </summary>
public sealed partial class SlackEventHandler(
    IDeliveryLedger ledger,
    IBackgroundWorkQueue queue,
    SlackWorkspaceAllowList workspaces,
    IOptions<SlackOptions> options,
    ILogger<SlackEventHandler> logger)
{
    /// <summary>Handles one callback; <paramref name="retry"/> is Slack's retry number (0 for the first delivery).</summary>
    public async Task HandleAsync(SlackEventEnvelope envelope, int retry, CancellationToken cancellationToken)
    {
        if (envelope is not { Type: "event_callback", EventId: { } eventId, Event: { } item })
        {
            LogIgnored(envelope.Type ?? "(none)");
            return;
        }

        if (!await ledger.TryRecordAsync($"slack:event:{eventId}", options.Value.DeliveryMemory, cancellationToken))
        {
            LogDuplicate(eventId, retry);
            return;
        }

        if (item is not { Type: "app_home_opened", User: { } userId } || (item.Tab is not null && item.Tab != "home") || envelope.TeamId is not { } teamId)
        {
            LogIgnored(item.Type ?? "(none)");
            return;
        }

        // Events carry no response_url: a workspace the bot does not serve simply gets no Home view.
        if (!(await workspaces.CheckAsync(teamId, null, cancellationToken)).Allowed)
        {
            LogRefused(teamId);
            return;
        }

        if (!queue.TryEnqueue(new BackgroundWorkItem(
                "slack app home",
                (services, ct) => services.GetRequiredService<SlackHomePublisher>().PublishAsync(teamId, userId, ct),
                Owner: $"slack:user:{userId}")))
        {
            // Opening the tab again asks again; nothing else waits on it.
            await ledger.ForgetAsync($"slack:event:{eventId}", CancellationToken.None);
            LogBusy(userId);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored Slack event {Type}")]
    private partial void LogIgnored(string type);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ignored a re-delivered Slack event {EventId} (retry {Retry})")]
    private partial void LogDuplicate(string eventId, int retry);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored a Slack event from workspace {TeamId}, which the bot does not serve")]
    private partial void LogRefused(string teamId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Background queue full; the App Home of {UserId} was not published")]
    private partial void LogBusy(string userId);
}
