using PscaleBot.Commands.Model;

namespace PscaleBot.Bot.Slack.Interactions;

/// <summary>
/// Handles button clicks (and other block actions) whose <c>action_id</c> starts with <see cref="ActionIdPrefix"/>,
/// SlackNet-style. Runs in the background after Slack has been acknowledged, once per click even when Slack
/// re-delivers it. Register with <see cref="SlackInteractionExtensions.AddSlackBlockActionHandler{THandler}"/>.
/// </summary>
public interface ISlackBlockActionHandler
{
    /// <summary>The <c>action_id</c> prefix this handler owns (<c>access_approve:</c>); the longest matching prefix wins.</summary>
    string ActionIdPrefix { get; }

    /// <summary>Handles one action. Check <see cref="SlackBlockAction.Caller"/> before acting: anybody who sees a button can click it.</summary>
    Task HandleAsync(SlackBlockAction action, CancellationToken cancellationToken);
}

/// <summary>One block action (button click) with who did it and where.</summary>
/// <param name="ActionId">The action's <c>action_id</c>.</param>
/// <param name="BlockId">The block's <c>block_id</c>.</param>
/// <param name="Value">The button's <c>value</c> (or the selected option's value).</param>
/// <param name="ActionTs">When Slack registered the click.</param>
/// <param name="Caller">Who clicked, with user groups, ids qualified as everywhere else.</param>
/// <param name="Place">Where the message is, when it is in a conversation.</param>
/// <param name="TeamId">The workspace.</param>
/// <param name="UserId">The clicker's Slack id (U…).</param>
/// <param name="ChannelId">The conversation, when there is one.</param>
/// <param name="MessageTs">The timestamp of the message holding the button (for <c>chat.update</c>).</param>
/// <param name="IsEphemeralMessage">True when the message is ephemeral: change it through <see cref="ResponseUrl"/> only.</param>
/// <param name="ResponseUrl">Where to answer (5 posts in 30 minutes).</param>
/// <param name="TriggerId">For opening a modal.</param>
/// <param name="Payload">The whole payload, typed, for anything not surfaced here.</param>
public sealed record SlackBlockAction(
    string ActionId,
    string? BlockId,
    string? Value,
    string? ActionTs,
    ChatIdentity Caller,
    ChatPlace? Place,
    string TeamId,
    string UserId,
    string? ChannelId,
    string? MessageTs,
    bool IsEphemeralMessage,
    string? ResponseUrl,
    string? TriggerId,
    BlockActionsPayload Payload);

/// <summary>Registration of block-action handlers.</summary>
public static class SlackInteractionExtensions
{
    /// <summary>Adds a handler for block actions whose <c>action_id</c> starts with its prefix (scoped lifetime).</summary>
    public static IServiceCollection AddSlackBlockActionHandler<THandler>(this IServiceCollection services)
        where THandler : class, ISlackBlockActionHandler
    {
        services.AddScoped<ISlackBlockActionHandler, THandler>();
        return services;
    }
}
