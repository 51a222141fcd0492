using PscaleBot.Bot.Slack.Api;
using PscaleBot.Bot.Slack.Rendering;

namespace PscaleBot.Bot.Slack.Identity;

/// <summary>
/// The sentence added to a denial given while the caller's Slack user groups could not be read: the denial may only
/// be because permissions granted through a group did not apply, and trying again later may succeed.
/// </summary>
public static class SlackGroupNotice
{
    /// <summary>The sentence.</summary>
    public const string Text =
        ":warning: Your Slack user groups could not be read just now, so only permissions granted to you personally " +
        "applied. If you have access through a user group, try again in a minute.";

    /// <summary><paramref name="answer"/> with <see cref="Text"/> first (or the sentence alone when there is no answer).</summary>
    public static SlackResponseMessage Prepend(SlackResponseMessage? answer) =>
        answer is null
            ? new SlackResponseMessage(SlackResponseType.Ephemeral, Text, [BlockKit.Section(Text)])
            : answer with { Text = Text + "\n" + answer.Text, Blocks = [BlockKit.Section(Text), .. answer.Blocks ?? []] };
}
