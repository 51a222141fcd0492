using System.Text.Json;
using System.Text.Json.Serialization;

namespace PscaleBot.Bot.Access;

/// <summary>How both access stores write a request or grant into its <c>data</c> column, so either engine reads the other's rows alike.</summary>
internal static class AccessDocument
{
    /// <summary>Web defaults (camelCase) with enums as names.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}
