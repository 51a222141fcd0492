using System.Text.Json.Serialization;

namespace PscaleBot.Bot.Teams.Protocol.Cards;

/// <summary>A text field; its value comes back under <see cref="Id"/> when the form is submitted.</summary>
internal sealed record InputText(string Id) : CardElement
{
    /// <inheritdoc />
    [JsonPropertyOrder(-1)]
    public override string Type => "Input.Text";

    public string? Label { get; init; }

    public string? Placeholder { get; init; }

    public string? Value { get; init; }

    public bool? IsMultiline { get; init; }

    public int? MaxLength { get; init; }

    /// <summary>Checked by the client before it submits; the bot checks again.</summary>
    public bool? IsRequired { get; init; }

    public string? ErrorMessage { get; init; }
}

/// <summary>A choice list; a multi-select's value comes back as the chosen values joined by commas.</summary>
internal sealed record InputChoiceSet(string Id, IReadOnlyList<Choice> Choices) : CardElement
{
    /// <inheritdoc />
    [JsonPropertyOrder(-1)]
    public override string Type => "Input.ChoiceSet";

    public string? Label { get; init; }

    /// <summary><c>compact</c> (a drop-down), <c>expanded</c> (radio buttons / check boxes) or <c>filtered</c> (type-ahead).</summary>
    public string? Style { get; init; }

    public bool? IsMultiSelect { get; init; }

    public string? Placeholder { get; init; }

    public string? Value { get; init; }

    public bool? IsRequired { get; init; }

    public string? ErrorMessage { get; init; }
}

/// <summary>One entry of an <see cref="InputChoiceSet"/>.</summary>
internal sealed record Choice(string Title, string Value);

/// <summary>Buttons inside the body, next to the item they act on.</summary>
internal sealed record ActionSet(IReadOnlyList<CardAction> Actions) : CardElement
{
    /// <inheritdoc />
    [JsonPropertyOrder(-1)]
    public override string Type => "ActionSet";
}
