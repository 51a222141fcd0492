using System.Text.Json.Serialization;

namespace PscaleBot.Commands.Audit;

/// <summary>
/// How the SQL audit logs store a row's PlanetScale request ids: a JSON array of strings, with serializers generated at
/// compile time (every command writes a row; the reflection serializer built its metadata on the first one).
/// </summary>
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(string[]))]
public sealed partial class AuditJsonContext : JsonSerializerContext;
