using PscaleBot.Commands.Execution;

namespace PscaleBot.Bot.Chat;

/// <summary>
/// A platform's way of posting a command's answer to <typeparamref name="TTarget"/> (Slack: the reply target with
/// its <c>response_url</c>; Teams: the conversation reference). It retries where that is safe; when a reply still
/// cannot be delivered it throws <see cref="ReplyUndeliveredException"/>, and <see cref="BackgroundAnswerRunner"/>
/// audits that and tells the requester by <see cref="TellRequesterElsewhereAsync"/>.
/// </summary>
/// <typeparam name="TTarget">Where the answer goes, in the platform's terms.</typeparam>
public interface IChatReplyTransport<in TTarget>
{
    /// <summary>Posts every part of <paramref name="response"/> where it may be seen.</summary>
    Task DeliverAsync(TTarget target, CommandResponse response, CancellationToken cancellationToken);

    /// <summary>
    /// Sends <paramref name="text"/> (never a secret) to the requester by a route other than the answer's own
    /// (Slack: a direct message from the bot; Teams: their 1:1 chat with the bot). False when that failed too.
    /// </summary>
    Task<bool> TellRequesterElsewhereAsync(TTarget target, string text, CancellationToken cancellationToken);
}
