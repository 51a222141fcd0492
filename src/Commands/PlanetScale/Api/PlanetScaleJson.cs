using System.Text.Json;
using System.Text.Json.Serialization;

namespace PscaleBot.Commands.PlanetScale.Api;

/// <summary>The JSON conventions of the PlanetScale API: snake_case names, nulls left out of requests.</summary>
public static class PlanetScaleJson
{
    /// <summary>Serializer options shared by the Refit client and the error reader.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        // Shared process-wide: frozen so no caller can change how the client reads PlanetScale.
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
