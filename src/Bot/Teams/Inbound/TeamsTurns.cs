using PscaleBot.Bot.Chat;
using PscaleBot.Bot.Teams.Connector;
using PscaleBot.Bot.Teams.Outbound;
using PscaleBot.Bot.Teams.Protocol;
using PscaleBot.Bot.Teams.Rendering;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Model;

namespace PscaleBot.Bot.Teams.Inbound;

/// <summary>
/// The slow part of answering one message, run by <see cref="Chat.BackgroundAnswerRunner"/> after the HTTP
/// request was acknowledged (the command was already prepared): a typing indicator, then the execution. The runner delivers the answer (or the
/// failure sentence) through <see cref="TeamsResponseDelivery"/>.
/// </summary>
internal sealed class TeamsMessageTurn(ICommandPipeline pipeline, IBotConnectorClient connector, PendingNotices pending)
{
    public async Task<CommandResponse> AnswerAsync(ConversationReference reference, PreparedCommand prepared, CancellationToken cancellationToken)
    {
        await TellWhatWaitedAsync(reference, prepared.Request.Caller, cancellationToken);
        if (prepared.ImmediateResponse is { } immediate)
        {
            return immediate;
        }

        await SendTypingAsync(reference, cancellationToken);
        return await pipeline.ExecuteAsync(prepared, cancellationToken);
    }

    /// <summary>
    /// What no route could tell this person earlier (a lost token secret) goes first, where they just asked: they are
    /// reading there now. A notice that still cannot be posted waits for their next command again.
    /// </summary>
    private async Task TellWhatWaitedAsync(ConversationReference reference, ChatIdentity caller, CancellationToken cancellationToken)
    {
        var notices = pending.Take(caller);
        for (var i = 0; i < notices.Count; i++)
        {
            try
            {
                await connector.SendAsync(reference, TeamsMessage.Plain("⚠️ " + notices[i]).ToActivity(), cancellationToken);
            }
            catch (Exception ex) when (ex is BotConnectorException or OperationCanceledException)
            {
                foreach (var left in notices.Skip(i))
                {
                    pending.Add(caller, left);
                }

                if (ex is OperationCanceledException)
                {
                    throw;
                }

                return;
            }
        }
    }

    private async Task SendTypingAsync(ConversationReference reference, CancellationToken cancellationToken)
    {
        try
        {
            await connector.SendAsync(reference, OutgoingActivity.Typing, cancellationToken);
        }
        catch (BotConnectorException)
        {
            // Typing is a courtesy; the answer itself reports real failures.
        }
    }
}

/// <summary>Greets a team, chat or user when the app is installed.</summary>
internal sealed class TeamsWelcome(IBotConnectorClient connector)
{
    internal const string Text =
        "Hi! I manage PlanetScale service tokens. Try `@pscale help`, `@pscale whoami` or " +
        "`@pscale service-token show-access <TOKEN_ID>`. In channels and group chats, @mention me. " +
        "What you may do depends on where you ask (see `whoami`), and new token secrets are only ever sent to you in a 1:1 chat with me.";

    public Task SendAsync(ConversationReference reference, CancellationToken cancellationToken) =>
        connector.SendAsync(reference with { ActivityId = null }, TeamsMessage.Markdown(Text).ToActivity(), cancellationToken);
}
