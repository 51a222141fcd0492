using System.Globalization;
using System.Text.Json;

namespace PscaleBot.Sandbox.Api;

/// <summary>The API's wire conventions: snake_case names, nulls kept, timestamps with milliseconds and Z.</summary>
internal static class SandboxJson
{
    /// <summary>Serializer settings for every API body.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never,
    };

    /// <summary>ISO-8601 in UTC with milliseconds, e.g. <c>2021-01-14T10:19:23.000Z</c>.</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary><see cref="Timestamp(DateTimeOffset)"/> or null.</summary>
    public static string? Timestamp(DateTimeOffset? value) => value is { } v ? Timestamp(v) : null;
}
