using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

namespace PscaleBot.Commands.Access.OnCall;

/// <summary>
/// PagerDuty REST API v2, the one call the bot needs: "List all of the on-calls", <c>GET /oncalls</c>
/// (https://developer.pagerduty.com/api-reference/3a6b910f11050-list-all-of-the-on-calls). Auth is
/// <c>Authorization: Token token=…</c> with <c>Accept: application/vnd.pagerduty+json;version=2</c>, set by the client's
/// configuration, never by a caller.
/// </summary>
public interface IPagerDutyApi
{
    /// <summary>
    /// The on-call entries between <paramref name="since"/> and <paramref name="until"/> for the given schedules and
    /// escalation policies; <c>include[]=users</c> so each entry carries the user's email. Classic offset pagination
    /// (<c>offset</c>, <c>limit</c>, <c>more</c>).
    /// </summary>
    [Get("/oncalls")]
    Task<PagerDutyOnCallPage> ListOnCallsAsync(
        [Query(CollectionFormat.Multi)][AliasAs("schedule_ids[]")] IEnumerable<string>? scheduleIds,
        [Query(CollectionFormat.Multi)][AliasAs("escalation_policy_ids[]")] IEnumerable<string>? escalationPolicyIds,
        [Query(CollectionFormat.Multi)][AliasAs("include[]")] IEnumerable<string> include,
        [AliasAs("time_zone")] string timeZone,
        [AliasAs("since")] string since,
        [AliasAs("until")] string until,
        [AliasAs("offset")] int offset,
        [AliasAs("limit")] int limit,
        CancellationToken cancellationToken);
}

/// <summary>One page of <c>GET /oncalls</c>.</summary>
public sealed record PagerDutyOnCallPage(
    [property: JsonPropertyName("oncalls")] IReadOnlyList<PagerDutyOnCall>? OnCalls,
    [property: JsonPropertyName("offset")] int Offset,
    [property: JsonPropertyName("limit")] int Limit,
    [property: JsonPropertyName("more")] bool More);

/// <summary>An on-call entry: a user on call for an escalation policy at a level, maybe through a schedule; null start/end mean always.</summary>
public sealed record PagerDutyOnCall(
    [property: JsonPropertyName("user")] PagerDutyUser? User,
    [property: JsonPropertyName("schedule")] PagerDutyReference? Schedule,
    [property: JsonPropertyName("escalation_policy")] PagerDutyReference? EscalationPolicy,
    [property: JsonPropertyName("escalation_level")] int EscalationLevel,
    [property: JsonPropertyName("start")] DateTimeOffset? Start,
    [property: JsonPropertyName("end")] DateTimeOffset? End);

/// <summary>A user as <c>include[]=users</c> expands it.</summary>
public sealed record PagerDutyUser(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("summary")] string? Summary);

/// <summary>A reference to a schedule or escalation policy.</summary>
public sealed record PagerDutyReference([property: JsonPropertyName("id")] string? Id);

/// <summary>Source-generated JSON for the PagerDuty client (no reflection).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PagerDutyOnCallPage))]
public sealed partial class PagerDutyJsonContext : JsonSerializerContext;
