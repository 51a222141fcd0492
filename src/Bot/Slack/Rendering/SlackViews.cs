using System.Text.Json.Serialization;

namespace PscaleBot.Bot.Slack.Rendering;

/// <summary>
/// A view for <c>views.open</c> (a modal) or <c>views.publish</c> (the App Home tab), as Slack's JSON has it.
/// Modals need a title (at most 24 characters) and, with input blocks, a submit label; Home tabs need neither.
/// </summary>
/// <param name="Type"><c>modal</c> or <c>home</c>.</param>
/// <param name="Blocks">At most 100 blocks.</param>
/// <param name="CallbackId">What a submission is routed by (modals).</param>
/// <param name="Title">The modal's title.</param>
/// <param name="Submit">The modal's submit label.</param>
/// <param name="Close">The modal's close label.</param>
/// <param name="PrivateMetadata">Echoed back on submission and suggestions (at most 3000 characters).</param>
public sealed record SlackView(
    string Type,
    IReadOnlyList<SlackBlock> Blocks,
    string? CallbackId = null,
    SlackText? Title = null,
    SlackText? Submit = null,
    SlackText? Close = null,
    string? PrivateMetadata = null)
{
    /// <summary>Blocks a modal or Home tab may hold.</summary>
    public const int MaxBlocks = 100;

    /// <summary>Characters of a modal's title, submit and close labels.</summary>
    public const int MaxTitle = 24;
}

/// <summary>An <c>input</c> block: a label and one form element.</summary>
/// <param name="BlockId">Keys the submitted value and any inline error.</param>
/// <param name="Label">Plain text, at most 2000 characters.</param>
/// <param name="Element">The element.</param>
/// <param name="Optional">True when the field may be left empty.</param>
/// <param name="Hint">Plain text under the element.</param>
public sealed record InputBlock(string BlockId, SlackText Label, SlackInputElement Element, bool? Optional = null, SlackText? Hint = null) : SlackBlock
{
    /// <inheritdoc />
    public override int TextLength() => Label.Text.Length + (Hint?.Text.Length ?? 0);
}

/// <summary>A form element of an <see cref="InputBlock"/>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ExternalSelectElement), "external_select")]
[JsonDerivedType(typeof(StaticSelectElement), "static_select")]
[JsonDerivedType(typeof(MultiStaticSelectElement), "multi_static_select")]
[JsonDerivedType(typeof(PlainTextInputElement), "plain_text_input")]
public abstract record SlackInputElement(string ActionId);

/// <summary>A select whose options the bot supplies as the person types (<c>block_suggestion</c>).</summary>
/// <param name="ActionId">Routes the suggestion request.</param>
/// <param name="Placeholder">Shown while empty.</param>
/// <param name="MinQueryLength">Characters typed before Slack asks; 0 asks at once.</param>
public sealed record ExternalSelectElement(string ActionId, SlackText? Placeholder = null, int? MinQueryLength = null) : SlackInputElement(ActionId);

/// <summary>A select of fixed options (at most 100).</summary>
/// <param name="ActionId">The element's id.</param>
/// <param name="Options">The choices.</param>
/// <param name="Placeholder">Shown while empty.</param>
/// <param name="InitialOption">Chosen at first; must be one of <paramref name="Options"/>.</param>
public sealed record StaticSelectElement(string ActionId, IReadOnlyList<SlackOption> Options, SlackText? Placeholder = null, SlackOption? InitialOption = null)
    : SlackInputElement(ActionId);

/// <summary>A multi-select of fixed options (at most 100).</summary>
/// <param name="ActionId">The element's id.</param>
/// <param name="Options">The choices.</param>
/// <param name="Placeholder">Shown while empty.</param>
public sealed record MultiStaticSelectElement(string ActionId, IReadOnlyList<SlackOption> Options, SlackText? Placeholder = null) : SlackInputElement(ActionId);

/// <summary>A text field.</summary>
/// <param name="ActionId">The element's id.</param>
/// <param name="Multiline">A multi-line box.</param>
/// <param name="InitialValue">Filled in at first.</param>
/// <param name="MaxLength">At most 3000.</param>
/// <param name="Placeholder">Shown while empty.</param>
public sealed record PlainTextInputElement(string ActionId, bool? Multiline = null, string? InitialValue = null, int? MaxLength = null, SlackText? Placeholder = null)
    : SlackInputElement(ActionId);

/// <summary>An option of a select: plain text (at most 75 characters) and a value (at most 150).</summary>
/// <param name="Text">What people see.</param>
/// <param name="Value">What comes back.</param>
public sealed record SlackOption(SlackText Text, string Value)
{
    /// <summary>Characters of an option's label.</summary>
    public const int MaxText = 75;

    /// <summary>Characters of an option's value.</summary>
    public const int MaxValue = 150;

    /// <summary>Options a select or a suggestion answer may hold.</summary>
    public const int MaxOptions = 100;

    /// <summary>An option labelled with plain text (without emoji codes: the label is data).</summary>
    public static SlackOption Of(string label, string value) =>
        new(new SlackText("plain_text", BlockKit.Truncate(string.IsNullOrEmpty(label) ? value : label, MaxText)), value);
}
