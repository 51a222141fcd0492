using System.Text.Json;
using System.Text.Json.Nodes;
using PscaleBot.Bot.Teams.Protocol;
using PscaleBot.Bot.Teams.Protocol.Cards;

namespace PscaleBot.Bot.Tests.Teams.Support;

/// <summary>The typed Teams wire models to and from JSON, through the bot's own source-generated context.</summary>
internal static class TeamsWire
{
    /// <summary>The card as it goes on the wire, for assertions on its JSON.</summary>
    public static JsonObject Json(AdaptiveCard card) => JsonSerializer.SerializeToNode(card, TeamsJsonContext.Default.AdaptiveCard)!.AsObject();

    /// <summary>An activity as the endpoint reads it.</summary>
    public static Activity Parse(JsonObject json) => Parse(json.ToJsonString());

    /// <summary>An activity as the endpoint reads it.</summary>
    public static Activity Parse(string json) => JsonSerializer.Deserialize(json, TeamsJsonContext.Default.Activity)!;
}
