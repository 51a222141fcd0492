using PscaleBot.Bot.Chat;
using PscaleBot.Bot.Slack.Api;
using PscaleBot.Bot.Slack.Rendering;

namespace PscaleBot.Bot.Slack;

/// <summary>
/// What a Slack user is told when their command or click was refused because the background queue is full: nothing
/// ran, and when to try again. Private, because it is about their request.
/// </summary>
public static class SlackBusyAnswer
{
    /// <summary>The ephemeral message: <see cref="AnswerNotices.Busy"/> behind an hourglass.</summary>
    public static SlackResponseMessage For(TimeSpan retryAfter)
    {
        var text = ":hourglass_flowing_sand: " + AnswerNotices.Busy(retryAfter);
        return new(SlackResponseType.Ephemeral, text, [BlockKit.Section(text)]);
    }
}
