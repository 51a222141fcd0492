using System.Text.Json.Serialization;

namespace PscaleBot.Bot.Slack.Interactions;

/// <summary>A modal was submitted: the values of its inputs are in <see cref="View"/>.</summary>
public sealed record ViewSubmissionPayload : InteractionPayload
{
    /// <summary>The submitted view.</summary>
    public SlackViewState? View { get; init; }
}

/// <summary>An external select asks for options matching what the person typed; answered in the acknowledgement.</summary>
public sealed record BlockSuggestionPayload : InteractionPayload
{
    /// <summary>The select's <c>action_id</c>.</summary>
    public string? ActionId { get; init; }

    /// <summary>The select's block.</summary>
    public string? BlockId { get; init; }

    /// <summary>What was typed so far (may be empty).</summary>
    public string? Value { get; init; }

    /// <summary>The view holding the select.</summary>
    public SlackViewState? View { get; init; }
}

/// <summary>A message shortcut (the "⋯ More actions" menu of a message).</summary>
public sealed record MessageActionPayload : InteractionPayload
{
    /// <summary>The shortcut's callback id, as the manifest names it.</summary>
    public string? CallbackId { get; init; }

    /// <summary>The conversation of the message.</summary>
    public SlackChannelRef? Channel { get; init; }

    /// <summary>The message's timestamp.</summary>
    public string? MessageTs { get; init; }

    /// <summary>Where to answer (5 posts in 30 minutes).</summary>
    public string? ResponseUrl { get; init; }
}

/// <summary>A view as Slack sends it back: which one, and the values of its inputs.</summary>
/// <param name="Id">The view's id.</param>
/// <param name="Type"><c>modal</c> or <c>home</c>.</param>
/// <param name="CallbackId">The callback id the bot gave it.</param>
/// <param name="PrivateMetadata">What the bot put in it.</param>
/// <param name="State">The inputs' values.</param>
public sealed record SlackViewState(string? Id, string? Type, string? CallbackId, string? PrivateMetadata, SlackViewValues? State);

/// <summary>The inputs' values, by block id then action id.</summary>
/// <param name="Values">The values.</param>
public sealed record SlackViewValues(Dictionary<string, Dictionary<string, SlackInputValue>>? Values);

/// <summary>One input's value.</summary>
/// <param name="Type">The element type.</param>
/// <param name="Value">A text input's value.</param>
/// <param name="SelectedOption">A single select's choice.</param>
/// <param name="SelectedOptions">A multi-select's choices.</param>
public sealed record SlackInputValue(string? Type, string? Value, SelectedOption? SelectedOption, IReadOnlyList<SelectedOption>? SelectedOptions);

/// <summary>
/// What the acknowledgement of an interaction carries, when anything: suggestions for an external select, or inline
/// errors for a modal submission. Block actions and shortcuts are acknowledged empty.
/// </summary>
[JsonPolymorphic]
[JsonDerivedType(typeof(SlackOptionsAck))]
[JsonDerivedType(typeof(SlackViewErrorsAck))]
public abstract record SlackInteractionAck;

/// <summary>The options of an external select (at most 100).</summary>
/// <param name="Options">The options.</param>
public sealed record SlackOptionsAck(IReadOnlyList<Rendering.SlackOption> Options) : SlackInteractionAck;

/// <summary><c>response_action: errors</c>: the modal stays open with a sentence under each named block.</summary>
/// <param name="Errors">Sentences by block id.</param>
public sealed record SlackViewErrorsAck(IReadOnlyDictionary<string, string> Errors) : SlackInteractionAck
{
    /// <summary>Always <c>errors</c>.</summary>
    [JsonPropertyOrder(-1)]
    public string ResponseAction => "errors";
}
