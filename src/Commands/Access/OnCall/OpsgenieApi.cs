using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

namespace PscaleBot.Commands.Access.OnCall;

/// <summary>
/// Opsgenie "Who is On Call API", <c>GET /v2/schedules/{id}/on-calls</c>
/// (https://docs.opsgenie.com/docs/who-is-on-call-api). Auth is <c>Authorization: GenieKey …</c>, set by the client's
/// configuration. The EU instance is <c>https://api.eu.opsgenie.com</c> (<c>OnCall:Opsgenie:BaseUrl</c>).
/// </summary>
public interface IOpsgenieApi
{
    /// <summary>
    /// Who is on call in the schedule at <paramref name="date"/> (<c>yyyy-MM-dd'T'HH:mm:ssZ</c>). With <c>flat=true</c>
    /// the answer is <c>onCallRecipients</c>: the usernames, which in Opsgenie are email addresses.
    /// </summary>
    [Get("/v2/schedules/{scheduleId}/on-calls")]
    Task<OpsgenieOnCallResponse> GetOnCallsAsync(
        string scheduleId,
        [AliasAs("scheduleIdentifierType")] string identifierType,
        [AliasAs("flat")] bool flat,
        [AliasAs("date")] string date,
        CancellationToken cancellationToken);
}

/// <summary>The answer of <c>GET /v2/schedules/{id}/on-calls</c>.</summary>
public sealed record OpsgenieOnCallResponse(
    [property: JsonPropertyName("data")] OpsgenieOnCallData? Data,
    [property: JsonPropertyName("requestId")] string? RequestId);

/// <summary>The on-call part: with <c>flat=true</c>, <see cref="OnCallRecipients"/> lists usernames (emails).</summary>
public sealed record OpsgenieOnCallData(
    [property: JsonPropertyName("onCallRecipients")] IReadOnlyList<string>? OnCallRecipients);

/// <summary>Source-generated JSON for the Opsgenie client (no reflection).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(OpsgenieOnCallResponse))]
public sealed partial class OpsgenieJsonContext : JsonSerializerContext;
