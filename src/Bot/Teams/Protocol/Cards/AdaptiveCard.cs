using System.Text.Json.Serialization;

namespace PscaleBot.Bot.Teams.Protocol.Cards;

/// <summary>
/// An Adaptive Card as Teams receives it (schema 1.5, the highest Teams renders). Property order is the wire
/// order; null members are left out (<see cref="TeamsJsonContext"/>).
/// </summary>
internal sealed record AdaptiveCard
{
    public const string CurrentVersion = "1.5";
    public const string SchemaUrl = "http://adaptivecards.io/schemas/adaptive-card.json";

    [JsonPropertyOrder(-1)]
    public string Type => "AdaptiveCard";

    [JsonPropertyName("$schema")]
    public string Schema { get; init; } = SchemaUrl;

    public string Version { get; init; } = CurrentVersion;

    /// <summary>What clients that cannot render the card (and notification previews) show.</summary>
    public string? FallbackText { get; init; }

    /// <summary>Teams-specific settings: full width, and the mentions the card's text uses.</summary>
    [JsonPropertyName("msteams")]
    public MsTeamsCardProperties? MsTeams { get; init; }

    public required IReadOnlyList<CardElement> Body { get; init; }

    public IReadOnlyList<CardAction>? Actions { get; init; }

    /// <summary>Universal Actions: the invoke Teams sends to refresh the card for the listed users.</summary>
    public CardRefresh? Refresh { get; init; }
}

/// <summary>The card's <c>msteams</c> object.</summary>
internal sealed record MsTeamsCardProperties(string Width, IReadOnlyList<CardMention>? Entities = null)
{
    /// <summary>Cards take the whole message width; tables are unreadable otherwise.</summary>
    public static MsTeamsCardProperties FullWidth { get; } = new("Full");
}

/// <summary>A mention in a card: the <c>&lt;at&gt;…&lt;/at&gt;</c> text and whom it notifies (Teams resolves Entra object ids).</summary>
internal sealed record CardMention(string Text, ChannelAccount Mentioned)
{
    [JsonPropertyOrder(-1)]
    public string Type => "mention";
}

/// <summary>Universal Actions refresh: Teams invokes <see cref="Action"/> when one of <see cref="UserIds"/> opens the card.</summary>
internal sealed record CardRefresh(CardAction Action, IReadOnlyList<string>? UserIds = null);
