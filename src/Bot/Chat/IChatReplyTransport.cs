using PscaleBot.Commands.Execution;

namespace PscaleBot.Bot.Chat;

/// <summary>
/// A platform's way of posting a command's answer to <typeparamref name="TTarget"/> (Slack: the reply target with
/// its <c>response_url</c>; Teams: the conversation reference). Failures it can handle (a closed DM, a rejected
/// post) it reports to the person itself; anything it throws is answered by <see cref="BackgroundAnswerRunner"/>.
/// </summary>
/// <typeparam name="TTarget">Where the answer goes, in the platform's terms.</typeparam>
public interface IChatReplyTransport<in TTarget>
{
    /// <summary>Posts every part of <paramref name="response"/> where it may be seen.</summary>
    Task DeliverAsync(TTarget target, CommandResponse response, CancellationToken cancellationToken);
}
