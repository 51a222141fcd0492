using System.Text.Json.Serialization;
using PscaleBot.Bot.Slack.Api;
using PscaleBot.Bot.Slack.Rendering;

namespace PscaleBot.Bot.Slack.Interactions;

/// <summary>
/// An interaction payload (HTTP's <c>payload</c> form field, or a Socket Mode <c>interactive</c> envelope), read by
/// its <c>type</c>. Types the bot does not handle (<c>view_closed</c>, global shortcuts…) are read as this base.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", IgnoreUnrecognizedTypeDiscriminators = true)]
[JsonDerivedType(typeof(BlockActionsPayload), "block_actions")]
[JsonDerivedType(typeof(ViewSubmissionPayload), "view_submission")]
[JsonDerivedType(typeof(BlockSuggestionPayload), "block_suggestion")]
[JsonDerivedType(typeof(MessageActionPayload), "message_action")]
public record InteractionPayload
{
    /// <summary>The workspace.</summary>
    public SlackTeamRef? Team { get; init; }

    /// <summary>Who interacted.</summary>
    public SlackUserRef? User { get; init; }

    /// <summary>The Enterprise Grid organization, if any.</summary>
    public SlackEnterpriseRef? Enterprise { get; init; }

    /// <summary>The app (A…).</summary>
    public string? ApiAppId { get; init; }

    /// <summary>Opens a modal; short-lived.</summary>
    public string? TriggerId { get; init; }

    /// <summary>True for an org-wide install on Enterprise Grid.</summary>
    [JsonConverter(typeof(SlackBooleanConverter))]
    public bool IsEnterpriseInstall { get; init; }
}

/// <summary>A click on a button (or another block element) in a message, a modal or App Home.</summary>
public sealed record BlockActionsPayload : InteractionPayload
{
    /// <summary>Where the element is: the message (channel and ts) or the view.</summary>
    public InteractionContainer? Container { get; init; }

    /// <summary>The conversation; absent for clicks in modals and App Home.</summary>
    public SlackChannelRef? Channel { get; init; }

    /// <summary>The message holding the element; absent for clicks in modals and App Home.</summary>
    public InteractionMessage? Message { get; init; }

    /// <summary>Where to answer (5 posts in 30 minutes).</summary>
    public string? ResponseUrl { get; init; }

    /// <summary>What was clicked; normally one.</summary>
    public IReadOnlyList<BlockAction>? Actions { get; init; }

    /// <summary>The view (modal or App Home) the element is in; absent for clicks in messages.</summary>
    public SlackViewState? View { get; init; }
}

/// <summary>A workspace reference.</summary>
/// <param name="Id">T….</param>
/// <param name="Domain">Its domain (display only).</param>
public sealed record SlackTeamRef(string? Id, string? Domain);

/// <summary>An Enterprise Grid organization reference.</summary>
/// <param name="Id">E….</param>
/// <param name="Name">Its name (display only).</param>
public sealed record SlackEnterpriseRef(string? Id, string? Name);

/// <summary>A user reference.</summary>
/// <param name="Id">U… or W….</param>
/// <param name="Username">The handle (display only).</param>
/// <param name="Name">The name (display only).</param>
/// <param name="TeamId">The user's workspace.</param>
public sealed record SlackUserRef(string? Id, string? Username, string? Name, string? TeamId);

/// <summary>A conversation reference.</summary>
/// <param name="Id">C…, G… or D….</param>
/// <param name="Name">Its name (display only).</param>
public sealed record SlackChannelRef(string? Id, string? Name);

/// <summary>Where an interactive element lives.</summary>
/// <param name="Type"><c>message</c>, <c>view</c>….</param>
/// <param name="MessageTs">The message's timestamp.</param>
/// <param name="ChannelId">The message's conversation.</param>
/// <param name="IsEphemeral">True for an ephemeral message: only its <c>response_url</c> can change it.</param>
public sealed record InteractionContainer(string? Type, string? MessageTs, string? ChannelId, bool IsEphemeral);

/// <summary>The message an interaction came from (its blocks are not read back).</summary>
/// <param name="Type">Always <c>message</c>.</param>
/// <param name="Ts">Its timestamp.</param>
/// <param name="Text">Its fallback text.</param>
public sealed record InteractionMessage(string? Type, string? Ts, string? Text);

/// <summary>One action in a <c>block_actions</c> payload.</summary>
/// <param name="Type"><c>button</c>, <c>static_select</c>….</param>
/// <param name="ActionId">The element's <c>action_id</c>.</param>
/// <param name="BlockId">The block's <c>block_id</c>.</param>
/// <param name="Value">A button's <c>value</c>.</param>
/// <param name="Text">A button's label.</param>
/// <param name="SelectedOption">A select menu's choice.</param>
/// <param name="ActionTs">When Slack registered it.</param>
public sealed record BlockAction(string? Type, string? ActionId, string? BlockId, string? Value, SlackText? Text, SelectedOption? SelectedOption, string? ActionTs);

/// <summary>The option picked in a select menu.</summary>
/// <param name="Value">Its value.</param>
public sealed record SelectedOption(string? Value);
