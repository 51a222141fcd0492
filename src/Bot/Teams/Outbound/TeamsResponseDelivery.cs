using PscaleBot.Bot.Chat;
using PscaleBot.Bot.Teams.Connector;
using PscaleBot.Bot.Teams.Protocol;
using PscaleBot.Bot.Teams.Rendering;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Results;

namespace PscaleBot.Bot.Teams.Outbound;

/// <summary>
/// Maps the core's <see cref="ReplyPlan"/> onto Teams, which has no ephemeral messages: a part for the place or
/// the requester goes to the conversation (in a channel, the thread of the request); a part only the requester
/// may see (a new token's secret) goes to their 1:1 chat with the bot, opened when needed, and nowhere else (if
/// the 1:1 cannot be reached, nothing secret is sent and the caller is told); the secret warning tries the 1:1
/// chat first.
/// </summary>
internal sealed partial class TeamsResponseDelivery(
    IBotConnectorClient connector,
    TeamsResultRenderer renderer,
    ILogger<TeamsResponseDelivery> logger) : IChatReplyTransport<ConversationReference>
{
    /// <inheritdoc />
    public async Task DeliverAsync(ConversationReference target, CommandResponse response, CancellationToken cancellationToken)
    {
        try
        {
            await DeliverAsync(response, target, cancellationToken);
        }
        catch (BotConnectorException ex)
        {
            // The connector client has already retried what is safe to retry.
            throw new ReplyUndeliveredException($"the Bot Connector refused the reply (status {ex.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"})", ex);
        }
    }

    /// <inheritdoc />
    public async Task<bool> TellRequesterElsewhereAsync(ConversationReference target, string text, CancellationToken cancellationToken)
    {
        try
        {
            var personal = target.IsPersonal ? target with { ActivityId = null } : await OpenPersonalChatAsync(target, cancellationToken);
            await connector.SendAsync(personal, TeamsMessage.Plain(text).ToActivity(), cancellationToken);
            return true;
        }
        catch (BotConnectorException ex)
        {
            LogPrivateDeliveryFailed(ex.StatusCode);
            return false;
        }
    }

    public async Task DeliverAsync(CommandResponse response, ConversationReference reference, CancellationToken cancellationToken)
    {
        foreach (var part in ReplyPlan.For(response, reference.IsPersonal).Parts)
        {
            switch (part.Content)
            {
                case ReplyContent.SecretWarning:
                    await SendPrivatelyOrHereAsync(reference, TeamsMessage.Plain("⚠️ " + response.SecretWarning), cancellationToken);
                    break;
                case ReplyContent.Announcement:
                    await connector.SendAsync(reference, TeamsMessage.Plain(response.Announcement!).ToActivity(), cancellationToken);
                    break;
                default:
                    var context = new TeamsRenderContext(reference.User.Name is { Length: > 0 } name ? name : "you");
                    var messages = renderer.Render(response.Results, response.Format, context);
                    if (part.HoldsSecret)
                    {
                        await DeliverSecretAsync(response, messages, reference, cancellationToken);
                    }
                    else
                    {
                        // No whispers in Teams: an answer for the requester goes to the thread they asked in.
                        await SendAllAsync(reference, messages, cancellationToken);
                    }

                    break;
            }
        }
    }

    private async Task DeliverSecretAsync(CommandResponse response, IReadOnlyList<TeamsMessage> messages, ConversationReference reference, CancellationToken cancellationToken)
    {
        if (reference.IsPersonal)
        {
            await SendAllAsync(reference, messages, cancellationToken);
            return;
        }

        var tokenIds = string.Join(", ", response.Results.OfType<TokenTable>().SelectMany(t => t.Tokens).Where(t => t.Secret is not null).Select(t => t.Id));
        try
        {
            var personal = await OpenPersonalChatAsync(reference, cancellationToken);
            await SendAllAsync(personal, messages, cancellationToken);
        }
        catch (BotConnectorException ex)
        {
            LogPrivateDeliveryFailed(ex.StatusCode);
            await connector.SendAsync(reference, TeamsMessage.Plain(
                $"Token {tokenIds} was created, but I couldn't reach you in a 1:1 chat, so its secret was not shown here. " +
                $"Delete it with `service-token delete {tokenIds}` and run `service-token create` again in a 1:1 chat with me.").ToActivity(), cancellationToken);
            return;
        }

        await connector.SendAsync(reference, TeamsMessage.Plain(
            $"Token {tokenIds} was created. I sent its secret to {reference.User.Name ?? "you"} in a 1:1 chat with me; it is never posted here.").ToActivity(), cancellationToken);
    }

    private async Task SendPrivatelyOrHereAsync(ConversationReference reference, TeamsMessage message, CancellationToken cancellationToken)
    {
        if (!reference.IsPersonal)
        {
            try
            {
                await connector.SendAsync(await OpenPersonalChatAsync(reference, cancellationToken), message.ToActivity(), cancellationToken);
                return;
            }
            catch (BotConnectorException ex)
            {
                // The warning holds no secret (the exposed value was already in this conversation), so saying it here is safe.
                LogPrivateDeliveryFailed(ex.StatusCode);
            }
        }

        await connector.SendAsync(reference, message.ToActivity(), cancellationToken);
    }

    private async Task<ConversationReference> OpenPersonalChatAsync(ConversationReference reference, CancellationToken cancellationToken)
    {
        var id = await connector.CreatePersonalConversationAsync(reference, cancellationToken);
        return reference with { ConversationId = id, ConversationType = "personal", ActivityId = null };
    }

    private async Task SendAllAsync(ConversationReference reference, IReadOnlyList<TeamsMessage> messages, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            await connector.SendAsync(reference, message.ToActivity(), cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not deliver privately in Teams (status {StatusCode}); nothing secret was sent")]
    private partial void LogPrivateDeliveryFailed(int? statusCode);
}
