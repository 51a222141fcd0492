using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PscaleBot.Sandbox.Admin;

namespace PscaleBot.Sandbox.OnCall;

/// <summary>
/// A small PagerDuty (<c>GET /pagerduty/oncalls</c>, as in "List all of the on-calls") and Opsgenie
/// (<c>GET /opsgenie/v2/schedules/{id}/on-calls</c>, as in "Who is On Call API") with the real authentication headers,
/// query parameters and answer shapes the bot reads, plus loopback-only <c>/_sandbox/oncall</c> to set who is on call.
/// </summary>
internal static class OnCallEndpoints
{
    private static readonly JsonSerializerOptions Json = LoopbackAdminGroup.Json;

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapOnCallEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/pagerduty/oncalls", PagerDutyOnCallsAsync);
        routes.MapGet("/opsgenie/v2/schedules/{scheduleId}/on-calls", OpsgenieOnCallsAsync);

        var admin = routes.MapLoopbackAdminGroup("/_sandbox/oncall");
        admin.MapPut("/pagerduty", (OnCallRota rota, List<PagerDutyShift> shifts) =>
        {
            rota.SetPagerDuty(shifts);
            return Results.NoContent();
        });
        admin.MapPut("/opsgenie/{scheduleId}", (OnCallRota rota, string scheduleId, List<string> emails) =>
        {
            rota.SetOpsgenie(scheduleId, emails);
            return Results.NoContent();
        });
        admin.MapPut("/fault/{fault}", (OnCallRota rota, OnCallFault fault) =>
        {
            rota.Fault = fault;
            return Results.NoContent();
        });
        admin.MapGet("/calls", (OnCallRota rota) => Results.Json(new { pagerduty = rota.PagerDutyCalls, opsgenie = rota.OpsgenieCalls }, Json));
        return routes;
    }

    private static async Task<IResult> PagerDutyOnCallsAsync(HttpContext context, OnCallRota rota, TimeProvider time)
    {
        rota.CountPagerDutyCall();
        if (!Authorized(context, "Token token=", OnCallRota.PagerDutyApiKey))
        {
            // PagerDuty's 401 body.
            return Results.Json(new { error = new { message = "Unauthorized", code = 2006 } }, Json, statusCode: 401);
        }

        if (await FaultAsync(rota, context) is { } fault)
        {
            return fault;
        }

        var query = context.Request.Query;
        var schedules = query["schedule_ids[]"].Where(s => !string.IsNullOrEmpty(s)).ToHashSet(StringComparer.Ordinal);
        var policies = query["escalation_policy_ids[]"].Where(s => !string.IsNullOrEmpty(s)).ToHashSet(StringComparer.Ordinal);
        var includeUsers = query["include[]"].Contains("users");
        var now = time.GetUtcNow();
        var since = Time(query["since"]) ?? now;
        var until = Time(query["until"]) ?? now;
        var offset = int.TryParse(query["offset"], CultureInfo.InvariantCulture, out var o) && o >= 0 ? o : 0;
        var limit = int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var l) && l is > 0 and <= 100 ? l : 25;
        var matching = rota.PagerDutyShifts()
            .Where(s => schedules.Count == 0 || (s.ScheduleId is not null && schedules.Contains(s.ScheduleId)))
            .Where(s => policies.Count == 0 || policies.Contains(s.EscalationPolicyId))
            .Where(s => (s.Start ?? DateTimeOffset.MinValue) <= until && since < (s.End ?? DateTimeOffset.MaxValue))
            .ToList();
        var page = matching.Skip(offset).Take(limit).Select((s, i) => new
        {
            escalation_policy = new { id = s.EscalationPolicyId, type = "escalation_policy_reference" },
            escalation_level = s.EscalationLevel,
            schedule = s.ScheduleId is null ? null : new { id = s.ScheduleId, type = "schedule_reference" },
            // Without include[]=users PagerDuty sends a reference, which has no email.
            user = includeUsers
                ? (object)new { id = UserId(s.Email), type = "user", email = s.Email, summary = s.Email }
                : new { id = UserId(s.Email), type = "user_reference", summary = s.Email },
            start = s.Start,
            end = s.End,
        });
        return Results.Json(new { oncalls = page, limit, offset, more = offset + limit < matching.Count, total = (int?)null }, Json);
    }

    private static async Task<IResult> OpsgenieOnCallsAsync(HttpContext context, OnCallRota rota, string scheduleId)
    {
        rota.CountOpsgenieCall();
        var requestId = Guid.NewGuid().ToString();
        if (!Authorized(context, "GenieKey ", OnCallRota.OpsgenieApiKey))
        {
            return Results.Json(new { message = "Could not authenticate", took = 0.001, requestId }, Json, statusCode: 401);
        }

        if (await FaultAsync(rota, context) is { } fault)
        {
            return fault;
        }

        if (rota.OpsgenieRecipients(scheduleId) is not { } recipients)
        {
            return Results.Json(new { message = $"No schedule exists with identifier [{scheduleId}]", took = 0.001, requestId }, Json, statusCode: 404);
        }

        var flat = string.Equals(context.Request.Query["flat"], "true", StringComparison.OrdinalIgnoreCase);
        object data = flat
            ? new { _parent = new { id = scheduleId, enabled = true }, onCallRecipients = recipients }
            : new { _parent = new { id = scheduleId, enabled = true }, onCallParticipants = recipients.Select(r => new { name = r, type = "user" }) };
        return Results.Json(new { data, took = 0.01, requestId }, Json);
    }

    private static bool Authorized(HttpContext context, string scheme, string key)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith(scheme, StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[scheme.Length..]), Encoding.UTF8.GetBytes(key));
    }

    private static async Task<IResult?> FaultAsync(OnCallRota rota, HttpContext context)
    {
        switch (rota.Fault)
        {
            case OnCallFault.ServerError:
                return Results.Json(new { message = "Internal Server Error" }, Json, statusCode: 500);
            case OnCallFault.Slow:
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    // The caller gave up, as it should.
                }

                return Results.Json(new { message = "Gateway Timeout" }, Json, statusCode: 504);
            default:
                return null;
        }
    }

    private static DateTimeOffset? Time(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    private static string UserId(string email) => "P" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(email.ToLowerInvariant())))[..6];
}
