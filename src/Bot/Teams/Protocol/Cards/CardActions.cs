using System.Text.Json.Serialization;

namespace PscaleBot.Bot.Teams.Protocol.Cards;

/// <summary>A card button; the JSON <c>type</c> names the concrete record.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ExecuteAction), "Action.Execute")]
[JsonDerivedType(typeof(SubmitAction), "Action.Submit")]
[JsonDerivedType(typeof(OpenUrlAction), "Action.OpenUrl")]
internal abstract record CardAction;

/// <summary>
/// Universal Actions (1.4+): Teams sends an <c>adaptiveCard/action</c> invoke with <see cref="Verb"/> and
/// <see cref="Data"/> and shows the card or message the bot answers with. <see cref="Fallback"/> is what
/// clients without Universal Actions show instead.
/// </summary>
internal sealed record ExecuteAction(string Title, string Verb, CardActionData Data) : CardAction
{
    public ActionStyle Style { get; init; } = ActionStyle.Default;

    public CardAction? Fallback { get; init; }
}

/// <summary>Legacy submit: arrives as a <c>message</c> activity whose <c>value</c> is <see cref="Data"/>.</summary>
internal sealed record SubmitAction(string Title, CardActionData Data) : CardAction;

/// <summary>Opens a link.</summary>
internal sealed record OpenUrlAction(string Title, Uri Url) : CardAction;

/// <summary>
/// The data the bot puts on its buttons, and reads back from a click: <c>{verb?, id, for?}</c>. The verb is
/// only in an <see cref="SubmitAction"/>'s data, since a submit arrives without the action around it.
/// </summary>
internal record CardActionData
{
    /// <summary>The action id (<c>pscale.access.approve</c>…), on legacy submits only.</summary>
    public string? Verb { get; init; }

    /// <summary>The request or grant the button acts on.</summary>
    public string? Id { get; init; }

    /// <summary>The duration an Extend button asks for (<c>1h</c>).</summary>
    public string? For { get; init; }

    /// <summary><c>{"type":"task/fetch"}</c> on an <see cref="SubmitAction"/> that opens a dialog instead of submitting.</summary>
    [JsonPropertyName("msteams")]
    public MsTeamsActionData? MsTeams { get; init; }
}

/// <summary>The <c>msteams</c> object of a submit's data: <c>task/fetch</c> makes the button open a dialog.</summary>
internal sealed record MsTeamsActionData(string Type)
{
    /// <summary>Opens a dialog: Teams sends a <c>task/fetch</c> invoke with the button's data.</summary>
    public static MsTeamsActionData TaskFetch { get; } = new("task/fetch");
}

/// <summary>How a button is drawn (lower-case on the wire).</summary>
internal enum ActionStyle
{
    [JsonStringEnumMemberName("default")]
    Default,

    [JsonStringEnumMemberName("positive")]
    Positive,

    [JsonStringEnumMemberName("destructive")]
    Destructive,
}
