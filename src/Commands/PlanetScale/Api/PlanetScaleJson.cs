using System.Text.Json;
using System.Text.Json.Serialization;

namespace PscaleBot.Commands.PlanetScale.Api;

/// <summary>The JSON conventions of the PlanetScale API: snake_case names, nulls left out of requests.</summary>
public static class PlanetScaleJson
{
    /// <summary>Serializer options shared by the Refit client and the error reader.</summary>
    /// <remarks>
    /// Generated at compile time (<see cref="PlanetScaleJsonContext"/>), never by reflection: reflection built each
    /// type's metadata and emitted its accessors on the first call that met it, which is the first command after a
    /// start. A type the client reads or writes must be listed in the context (a test checks every one of
    /// <see cref="IPlanetScaleApi"/>'s); frozen, so no caller can change how the client reads PlanetScale.
    /// </remarks>
    public static JsonSerializerOptions Options => PlanetScaleJsonContext.Default.Options;
}

/// <summary>The source-generated serializers of every type the PlanetScale client reads and writes.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PlanetScaleList<OrganizationDto>))]
[JsonSerializable(typeof(PlanetScaleList<DatabaseDto>))]
[JsonSerializable(typeof(PlanetScaleList<ServiceTokenDto>))]
[JsonSerializable(typeof(PlanetScaleList<TokenAccessDto>))]
[JsonSerializable(typeof(PlanetScaleList<TokenGrantDto>))]
[JsonSerializable(typeof(ServiceTokenDto))]
[JsonSerializable(typeof(CreateServiceTokenRequest))]
[JsonSerializable(typeof(ServiceTokenAccessRequest))]
[JsonSerializable(typeof(AuditLogPageDto))]
[JsonSerializable(typeof(PlanetScaleErrorBody))]
public sealed partial class PlanetScaleJsonContext : JsonSerializerContext;
