using System.Net;
using PscaleBot.Sandbox.OnCall;

namespace PscaleBot.Sandbox.Tests.OnCall;

public sealed class OnCallEndpointsTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task PagerDuty_lists_on_calls_of_the_asked_schedules_at_the_asked_time_with_user_emails()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        sandbox.Server.OnCall.SetPagerDuty([
            new PagerDutyShift("bob@example.com", "PSCHED1", "PEP1", 1, Noon.AddHours(-1), Noon.AddHours(1)),
            new PagerDutyShift("carol@example.com", "PSCHED2", "PEP1", 2, Noon.AddHours(-1), Noon.AddHours(1)),
            new PagerDutyShift("dave@example.com", "PSCHED1", "PEP1", 1, Noon.AddHours(2), Noon.AddHours(3)),
        ]);
        var client = sandbox.NewClient($"Token token={OnCallRota.PagerDutyApiKey}");

        var body = await sandbox.SendAsync(HttpMethod.Get,
            "/pagerduty/oncalls?schedule_ids[]=PSCHED1&include[]=users&since=2026-12-03T12:00:00Z&until=2026-12-03T12:00:00Z",
            null, HttpStatusCode.OK, client);

        var onCall = Assert.Single(body.GetProperty("oncalls").EnumerateArray());
        Assert.Equal("bob@example.com", onCall.GetProperty("user").GetProperty("email").GetString());
        Assert.Equal(1, onCall.GetProperty("escalation_level").GetInt32());
        Assert.Equal("PSCHED1", onCall.GetProperty("schedule").GetProperty("id").GetString());
        Assert.False(body.GetProperty("more").GetBoolean());
        Assert.Equal(1, sandbox.Server.OnCall.PagerDutyCalls);
    }

    [Fact]
    public async Task PagerDuty_pages_with_offset_limit_and_more()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        sandbox.Server.OnCall.SetPagerDuty(Enumerable.Range(0, 3).Select(i => new PagerDutyShift($"u{i}@example.com", null, "PEP1", 1, null, null)));
        var client = sandbox.NewClient($"Token token={OnCallRota.PagerDutyApiKey}");

        var first = await sandbox.SendAsync(HttpMethod.Get, "/pagerduty/oncalls?escalation_policy_ids[]=PEP1&limit=2&offset=0", null, HttpStatusCode.OK, client);
        var second = await sandbox.SendAsync(HttpMethod.Get, "/pagerduty/oncalls?escalation_policy_ids[]=PEP1&limit=2&offset=2", null, HttpStatusCode.OK, client);

        Assert.Equal(2, first.GetProperty("oncalls").GetArrayLength());
        Assert.True(first.GetProperty("more").GetBoolean());
        Assert.Equal(1, second.GetProperty("oncalls").GetArrayLength());
        Assert.False(second.GetProperty("more").GetBoolean());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Token token=wrong")]
    [InlineData("GenieKey sandbox-pagerduty-key")]
    public async Task PagerDuty_refuses_a_missing_or_wrong_key(string? authorization)
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        await sandbox.SendAsync(HttpMethod.Get, "/pagerduty/oncalls", null, HttpStatusCode.Unauthorized, sandbox.NewClient(authorization));
    }

    [Fact]
    public async Task Opsgenie_answers_flat_recipients_and_404_for_an_unknown_schedule()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        sandbox.Server.OnCall.SetOpsgenie("ops-primary", ["alice@example.com"]);
        var client = sandbox.NewClient($"GenieKey {OnCallRota.OpsgenieApiKey}");

        var body = await sandbox.SendAsync(HttpMethod.Get, "/opsgenie/v2/schedules/ops-primary/on-calls?flat=true&date=2026-12-03T12:00:00Z", null, HttpStatusCode.OK, client);
        await sandbox.SendAsync(HttpMethod.Get, "/opsgenie/v2/schedules/nope/on-calls?flat=true", null, HttpStatusCode.NotFound, client);
        await sandbox.SendAsync(HttpMethod.Get, "/opsgenie/v2/schedules/ops-primary/on-calls", null, HttpStatusCode.Unauthorized,
            sandbox.NewClient("GenieKey wrong"));

        Assert.Equal("alice@example.com", Assert.Single(body.GetProperty("data").GetProperty("onCallRecipients").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task The_admin_endpoints_set_who_is_on_call_and_the_fault()
    {
        await using var sandbox = await RunningSandbox.StartAsync();
        await sandbox.SendAsync(HttpMethod.Put, "/_sandbox/oncall/opsgenie/ops-primary", """["alice@example.com"]""", HttpStatusCode.NoContent);
        await sandbox.SendAsync(HttpMethod.Put, "/_sandbox/oncall/fault/ServerError", null, HttpStatusCode.NoContent);

        await sandbox.SendAsync(HttpMethod.Get, "/opsgenie/v2/schedules/ops-primary/on-calls?flat=true", null, HttpStatusCode.InternalServerError,
            sandbox.NewClient($"GenieKey {OnCallRota.OpsgenieApiKey}"));
        Assert.Equal(OnCallFault.ServerError, sandbox.Server.OnCall.Fault);
    }
}
