using System.Text.Json;
using System.Text.Json.Nodes;
using PscaleBot.Bot.Slack.Api;
using PscaleBot.Bot.Slack.Rendering;

namespace PscaleBot.Bot.Tests.Slack;

/// <summary>Typed Slack wire records as the JSON Slack receives, for assertions on that JSON.</summary>
public static class SlackWireJson
{
    /// <summary>The blocks exactly as serialised for Slack, parsed back into a tree.</summary>
    public static JsonArray Json(this IReadOnlyList<SlackBlock> blocks) =>
        JsonNode.Parse(JsonSerializer.Serialize(blocks, SlackJsonContext.Default.IReadOnlyListSlackBlock))!.AsArray();

    /// <summary>Blocks read back from JSON Slack received (e.g. a recorded <c>chat.postMessage</c>).</summary>
    public static IReadOnlyList<SlackBlock> Blocks(JsonNode json) =>
        json.Deserialize(SlackJsonContext.Default.IReadOnlyListSlackBlock)!;
}
