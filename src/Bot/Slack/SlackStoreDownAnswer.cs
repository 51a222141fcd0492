using PscaleBot.Bot.Persistence;
using PscaleBot.Bot.Slack.Api;
using PscaleBot.Bot.Slack.Rendering;

namespace PscaleBot.Bot.Slack;

/// <summary>
/// What a Slack user is told when their command, click or envelope arrived while the bot's database could not be
/// used (<see cref="StoreUnavailableException"/>): nothing ran, try again. Private, because it is about their request.
/// </summary>
public static class SlackStoreDownAnswer
{
    /// <summary>The ephemeral message: <see cref="StoreUnavailableException.UserSentence"/> behind a warning sign.</summary>
    public static SlackResponseMessage Message { get; } = new(
        SlackResponseType.Ephemeral,
        $":warning: {StoreUnavailableException.UserSentence}",
        [BlockKit.Section($":warning: {StoreUnavailableException.UserSentence}")]);
}
