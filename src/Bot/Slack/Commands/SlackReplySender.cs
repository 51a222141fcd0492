using PscaleBot.Bot.Chat;
using PscaleBot.Bot.Slack.Api;
using PscaleBot.Bot.Slack.Rendering;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Http;

namespace PscaleBot.Bot.Slack.Commands;

/// <summary>
/// Delivers planned replies: through the <c>response_url</c> first (it works in private channels and DMs
/// the bot has not joined), then through the Web API. A reply holding a secret goes only to private
/// destinations; when none works, nothing with the secret is posted and the place is told why. A reply that no
/// route took ends in <see cref="ReplyUndeliveredException"/>, after the rest were tried.
/// </summary>
public sealed partial class SlackReplySender(
    SlackResponseUrlClient responseUrls,
    SlackApiClient api,
    SlackReplyPlanner planner,
    DependencyOutages outages,
    ILogger<SlackReplySender> logger) : IChatReplyTransport<SlackReplyTarget>
{
    private const string Category = "PscaleBot.Bot.Slack.Commands.SlackReplySender";

    // Logged once per outage of each route, not per reply: a Slack outage must not write a warning per command.
    private DependencyOutage ResponseUrls => outages.For("Slack response_url posts", "answers go through chat.postEphemeral / chat.postMessage instead", Category);

    private DependencyOutage WebApi => outages.For("The Slack Web API (chat.*)", "answers no response_url took are undelivered and audited so", Category);

    /// <summary>Plans <paramref name="response"/> for <paramref name="target"/> and delivers it.</summary>
    public Task DeliverAsync(SlackReplyTarget target, CommandResponse response, CancellationToken cancellationToken) =>
        DeliverAsync(target, planner.Plan(response, target), cancellationToken);

    /// <inheritdoc />
    public async Task<bool> TellRequesterElsewhereAsync(SlackReplyTarget target, string text, CancellationToken cancellationToken)
    {
        try
        {
            // A message to the user id lands in the bot's direct-message channel with them: no response_url, no channel.
            await api.PostMessageAsync(target.UserId, text, [BlockKit.Section(text)], cancellationToken);
            WebApi.Succeeded();
            return true;
        }
        catch (SlackApiException ex)
        {
            WebApi.Failed($"{ex.Method} {ex.Error}");
            return false;
        }
    }

    /// <summary>
    /// Delivers every reply in order; failures are logged and, for secrets, reported without the secret. Throws
    /// <see cref="ReplyUndeliveredException"/> at the end when a reply could not be delivered by any route.
    /// </summary>
    public async Task DeliverAsync(SlackReplyTarget target, IEnumerable<PlannedReply> replies, CancellationToken cancellationToken)
    {
        string? undelivered = null;
        foreach (var reply in replies)
        {
            if (reply.HoldsSecret && reply.Message.ResponseType != SlackResponseType.Ephemeral)
            {
                // Defence in depth: the planner never does this, and a secret must never reach a channel.
                LogSecretRefused();
                continue;
            }

            if (await TryDeliverAsync(target, reply.Message, cancellationToken) is not { } failure)
            {
                continue;
            }

            undelivered ??= failure;
            if (reply.HoldsSecret)
            {
                await ReportUndeliverableSecretAsync(target, cancellationToken);
            }
        }

        if (undelivered is not null)
        {
            throw new ReplyUndeliveredException(undelivered);
        }
    }

    /// <summary>Null when delivered; otherwise why not, naming the routes tried and Slack's error codes (never content).</summary>
    private async Task<string?> TryDeliverAsync(SlackReplyTarget target, SlackResponseMessage message, CancellationToken cancellationToken)
    {
        var tried = new List<string>();
        if (responseUrls.IsAllowed(target.ResponseUrl))
        {
            try
            {
                await responseUrls.PostAsync(target.ResponseUrl!, message, cancellationToken);
                ResponseUrls.Succeeded();
                return null;
            }
            catch (SlackApiException ex)
            {
                ResponseUrls.Failed(ex.Error);
                tried.Add($"response_url ({ex.Error})");
            }
        }

        try
        {
            if (message.ResponseType == SlackResponseType.Ephemeral)
            {
                await api.PostEphemeralAsync(target.ChannelId, target.UserId, message.Text, message.Blocks, cancellationToken);
            }
            else
            {
                await api.PostMessageAsync(target.ChannelId, message.Text, message.Blocks, cancellationToken);
            }

            WebApi.Succeeded();
            return null;
        }
        catch (SlackApiException ex)
        {
            WebApi.Failed($"{ex.Method} {ex.Error}");
            tried.Add($"{ex.Method} ({ex.Error})");
            return $"Slack refused the reply: {string.Join(", then ", tried)}";
        }
    }

    private async Task ReportUndeliverableSecretAsync(SlackReplyTarget target, CancellationToken cancellationToken)
    {
        LogSecretUndeliverable(target.ChannelId);
        var text = $":lock: {Mrkdwn.UserMention(target.UserId)}, your answer holds a token secret and could not be delivered to you privately, so it was not posted. " +
            "Run the command in a direct message with the bot; delete the token if you cannot use it.";
        var notice = new SlackResponseMessage(SlackResponseType.Ephemeral, text, [BlockKit.Section(text)]);
        await TryDeliverAsync(target, notice, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A reply holding a secret could not be delivered privately in {ChannelId}; it was not posted")]
    private partial void LogSecretUndeliverable(string channelId);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Refused to post a reply holding a secret anywhere but privately")]
    private partial void LogSecretRefused();
}
