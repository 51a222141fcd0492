using System.Text.Json;
using System.Text.Json.Serialization;

namespace PscaleBot.Bot.Slack.Api;

/// <summary>JSON settings for Slack's snake_case API.</summary>
public static class SlackJson
{
    /// <summary>snake_case names, nulls left out.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
