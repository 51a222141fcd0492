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
    Files.SlackFileUploader files,
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

            var message = reply.Message;
            if (reply.File is { } file)
            {
                if (await TryShareAsync(target, reply, file, cancellationToken) is not { } refused)
                {
                    continue;
                }

                var text = $":warning: The answer was to be sent as the file {Mrkdwn.Code(file.FileName)}, but Slack refused it ({Mrkdwn.Escape(refused)}). " +
                    "Nothing else was lost: ask for less (fewer rows, or without `--format csv`), or try again later.";
                message = message with { Text = text, Blocks = [BlockKit.Section(text)] };
            }

            if (await TryDeliverAsync(target, message, cancellationToken) is not { } failure)
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
            // A "channel" that is the user's own id is the bot's DM with them: private already, and postEphemeral refuses it.
            if (message.ResponseType == SlackResponseType.Ephemeral && target.ChannelId != target.UserId)
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

    /// <summary>Null when the file was shared; otherwise Slack's refusal (method and error code).</summary>
    private async Task<string?> TryShareAsync(SlackReplyTarget target, PlannedReply reply, Files.SlackFileAnswer file, CancellationToken cancellationToken)
    {
        try
        {
            await files.ShareAsync(target, file, reply.Message.Text, reply.Message.ResponseType == SlackResponseType.InChannel, cancellationToken);
            WebApi.Succeeded();
            return null;
        }
        catch (SlackApiException ex)
        {
            WebApi.Failed($"{ex.Method} {ex.Error}");
            LogFileRefused(ex.Method, ex.Error);
            return $"{ex.Method} {ex.Error}";
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack refused a file answer at {Method}: {Error}; the note was posted instead")]
    private partial void LogFileRefused(string method, string error);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Refused to post a reply holding a secret anywhere but privately")]
    private partial void LogSecretRefused();
}
