using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Bot.Slack;
using PscaleBot.Bot.Slack.SocketMode;
using PscaleBot.Bot.Tests.Slack.Fakes;

namespace PscaleBot.Bot.Tests.Slack;

public sealed class SlackSocketModeTests : IAsyncLifetime
{
    private FakeSlackServer slack = null!;
    private SlackTestHost host = null!;
    private HttpClient client = null!;
    private int envelopes;

    public async Task InitializeAsync()
    {
        slack = await FakeSlackServer.StartAsync();
        host = new SlackTestHost(slack, new()
        {
            ["Slack:Mode"] = "SocketMode",
            ["Slack:SigningSecret"] = null,
            ["Slack:AppToken"] = "xapp-test-app-token",
        });
    }

    public async Task DisposeAsync()
    {
        client?.Dispose();
        await host.DisposeAsync();
        await slack.DisposeAsync();
    }

    private async Task StartConnectedAsync()
    {
        client = host.CreateClient();
        await Eventually.TrueAsync(() => State.Status == SlackConnectionStatus.Connected && slack.OpenSockets == 1, "the first connection");
    }

    private SlackConnectionState State => host.Services.GetRequiredService<SlackConnectionState>();

    private JsonObject SlashEnvelope(string text, string? id = null) => new()
    {
        ["envelope_id"] = id ?? $"env-{Interlocked.Increment(ref envelopes)}",
        ["type"] = "slash_commands",
        ["accepts_response_payload"] = true,
        ["payload"] = new JsonObject
        {
            ["token"] = "x", ["team_id"] = "T0TEAM", ["team_domain"] = "acme", ["channel_id"] = "C0OPS", ["channel_name"] = "ops",
            ["user_id"] = "U0ALICE", ["user_name"] = "alice", ["command"] = "/pscale", ["text"] = text, ["api_app_id"] = "A1",
            ["is_enterprise_install"] = false, ["response_url"] = slack.ResponseUrl("s1"), ["trigger_id"] = $"trig-{envelopes}",
        },
    };

    private JsonObject? AckFor(string envelopeId) => slack.Acks.FirstOrDefault(a => (string?)a["envelope_id"] == envelopeId);

    [Fact]
    public async Task Connects_with_the_app_token_and_reports_ready()
    {
        await StartConnectedAsync();
        Assert.Equal("Bearer xapp-test-app-token", slack.Calls("apps.connections.open").First().Authorization);
        var ready = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/slack/commands", new StringContent("a=b"))).StatusCode);
    }

    [Fact]
    public async Task An_immediate_answer_travels_in_the_acknowledgement_on_the_same_socket()
    {
        await StartConnectedAsync();
        var envelope = SlashEnvelope("denied");
        await slack.SendEnvelopeAsync(envelope);

        await Eventually.TrueAsync(() => AckFor((string)envelope["envelope_id"]!) is not null, "the ack");
        var ack = AckFor((string)envelope["envelope_id"]!)!;
        Assert.Equal("ephemeral", (string?)ack["payload"]!["response_type"]);
        Assert.Contains("You may not run show-access here.", ack.Raw());
        Assert.Empty(host.Pipeline.Executed);
    }

    [Fact]
    public async Task A_command_from_another_workspace_is_refused_in_the_acknowledgement_and_runs_nothing()
    {
        await StartConnectedAsync();
        var envelope = SlashEnvelope("service-token list");
        envelope["payload"]!["team_id"] = "T0OTHERCO";
        await slack.SendEnvelopeAsync(envelope);

        await Eventually.TrueAsync(() => AckFor((string)envelope["envelope_id"]!) is not null, "the ack");
        var ack = AckFor((string)envelope["envelope_id"]!)!;
        Assert.Equal("ephemeral", (string?)ack["payload"]!["response_type"]);
        Assert.Contains("serves the Slack workspace T0TEAM only", ack.Raw());
        Assert.Empty(host.Pipeline.Prepared);
    }

    [Fact]
    public async Task Real_work_is_acked_empty_and_its_result_posted_to_the_response_url()
    {
        await StartConnectedAsync();
        var envelope = SlashEnvelope("service-token show-access abc123def456");
        await slack.SendEnvelopeAsync(envelope);

        await Eventually.TrueAsync(() => slack.ResponseUrlPosts.Count == 1, "the result");
        var ack = AckFor((string)envelope["envelope_id"]!)!;
        Assert.Null(ack["payload"]);
        Assert.Equal("ephemeral", (string?)slack.ResponseUrlPosts.Single().Body["response_type"]);
        Assert.Equal("slack:user:U0ALICE", host.Pipeline.Prepared.Single().Caller.UserId);
    }

    [Fact]
    public async Task A_forced_disconnect_mid_stream_loses_nothing_and_runs_each_change_once()
    {
        await StartConnectedAsync();
        var first = SlashEnvelope("service-token delete tok-one");
        await slack.SendEnvelopeAsync(first);
        await Eventually.TrueAsync(() => AckFor("env-1") is not null, "the first ack");

        // The second envelope reaches the bot but the link dies before its ack can come back,
        // and a third is sent while nobody is connected: the fake re-delivers both on the next connection.
        var second = SlashEnvelope("service-token delete tok-two");
        await slack.SendEnvelopeAsync(second, dropAfterSending: true);
        var third = SlashEnvelope("service-token delete tok-three");
        await slack.SendEnvelopeAsync(third);

        await Eventually.TrueAsync(() => slack.Unacked == 0, "every envelope acknowledged");
        // Duplicates are dropped before the pipeline sees them, and every ack is sent after that decision.
        Assert.Equal(3, host.Pipeline.Prepared.Count);
        await Eventually.TrueAsync(() => host.Pipeline.Executed.Count == 3, "each change run");
        Assert.True(slack.ConnectionsAccepted >= 2);
        Assert.Equal(["service-token delete tok-one", "service-token delete tok-three", "service-token delete tok-two"], host.Pipeline.Executed.Order());
        Assert.Equal(SlackConnectionStatus.Connected, State.Status);
    }

    [Fact]
    public async Task On_disconnect_the_new_connection_opens_before_the_old_one_closes()
    {
        await StartConnectedAsync();
        await slack.SendToNewestAsync("""{"type":"disconnect","reason":"refresh_requested","debug_info":{"host":"wss-1"}}""");

        await Eventually.TrueAsync(() => slack.ConnectionsAccepted == 2 && slack.ConnectionsClosedByClient == 1, "the replacement and the polite close");
        Assert.Equal(2, slack.Calls("apps.connections.open").Count());
        await Eventually.TrueAsync(() => slack.OpenSockets == 1 && State.Status == SlackConnectionStatus.Connected, "one live connection");

        var envelope = SlashEnvelope("denied");
        await slack.SendEnvelopeAsync(envelope);
        await Eventually.TrueAsync(() => AckFor((string)envelope["envelope_id"]!) is not null, "work on the new connection");
    }

    [Fact]
    public async Task Invalid_auth_stops_the_loop_and_readiness_fails()
    {
        slack.Script("apps.connections.open", new ScriptedReply(200, """{"ok":false,"error":"invalid_auth"}"""));
        client = host.CreateClient();

        await Eventually.TrueAsync(() => State.Status == SlackConnectionStatus.Stopped, "the loop to stop");
        Assert.Contains("invalid_auth", State.Snapshot.Detail);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/readyz")).StatusCode);
        Assert.Single(slack.Calls("apps.connections.open"));
    }

    [Fact]
    public async Task Transient_open_failures_are_retried_and_rate_limits_honoured()
    {
        slack.Script("apps.connections.open",
            new ScriptedReply(500, "oops"),
            new ScriptedReply(429, """{"ok":false,"error":"ratelimited"}""", RetryAfter: "0"),
            new ScriptedReply(200, """{"ok":false,"error":"internal_error"}"""));
        await StartConnectedAsync();
        Assert.True(slack.Calls("apps.connections.open").Count() >= 4);
    }

    [Fact]
    public async Task A_disabled_socket_mode_disconnect_stops_without_reconnecting()
    {
        await StartConnectedAsync();
        await slack.SendToNewestAsync("""{"type":"disconnect","reason":"link_disabled"}""");
        await Eventually.TrueAsync(() => State.Status == SlackConnectionStatus.Stopped, "the loop to stop");
        Assert.Single(slack.Calls("apps.connections.open"));
    }

    [Fact]
    public async Task A_form_submission_over_the_socket_gets_its_inline_errors_in_the_acknowledgement()
    {
        await StartConnectedAsync();
        var envelope = new JsonObject
        {
            ["envelope_id"] = "form-1",
            ["type"] = "interactive",
            ["accepts_response_payload"] = true,
            ["payload"] = new JsonObject
            {
                ["type"] = "view_submission",
                ["user"] = new JsonObject { ["id"] = "U0ALICE", ["team_id"] = "T0TEAM" },
                ["team"] = new JsonObject { ["id"] = "T0TEAM" },
                ["view"] = new JsonObject
                {
                    ["id"] = "V1", ["type"] = "modal", ["callback_id"] = "pscale.access.form", ["private_metadata"] = "C0OPS ops",
                    ["state"] = new JsonObject { ["values"] = new JsonObject() },
                },
            },
        };
        await slack.SendEnvelopeAsync(envelope);

        await Eventually.TrueAsync(() => AckFor("form-1") is not null, "the ack");
        var payload = AckFor("form-1")!["payload"]!;
        Assert.Equal("errors", (string?)payload["response_action"]);
        Assert.Contains("token", payload["errors"]!.AsObject().Select(e => e.Key));
        Assert.Contains("permissions", payload["errors"]!.AsObject().Select(e => e.Key));
        Assert.Empty(host.Pipeline.Executed);
    }

    [Fact]
    public async Task App_home_opened_over_the_socket_publishes_the_home_tab_once_per_event_id()
    {
        await StartConnectedAsync();
        JsonObject Event(string envelopeId, int retry, string eventId = "Ev0HOME", string user = "U0ALICE") => new()
        {
            ["envelope_id"] = envelopeId,
            ["type"] = "events_api",
            ["accepts_response_payload"] = false,
            ["retry_attempt"] = retry,
            ["retry_reason"] = retry == 0 ? "" : "timeout",
            ["payload"] = new JsonObject
            {
                ["type"] = "event_callback", ["event_id"] = eventId, ["team_id"] = "T0TEAM", ["api_app_id"] = "A1",
                ["event"] = new JsonObject { ["type"] = "app_home_opened", ["user"] = user, ["tab"] = "home" },
            },
        };

        await slack.SendEnvelopeAsync(Event("ev-1", 0));
        await Eventually.TrueAsync(() => slack.Calls("views.publish").Any(), "the Home tab published");
        await slack.SendEnvelopeAsync(Event("ev-2", 1));
        await Eventually.TrueAsync(() => AckFor("ev-2") is not null, "the retry acknowledged");
        // A later event queued after the retry's turn: once it is published, a second publish for the retry would be too.
        await slack.SendEnvelopeAsync(Event("ev-3", 0, "Ev0LATER", "U0BOB"));
        await Eventually.TrueAsync(() => slack.JsonCalls("views.publish").Any(p => (string?)p["user_id"] == "U0BOB"), "the later Home tab published");

        var publish = Assert.Single(slack.JsonCalls("views.publish"), p => (string?)p["user_id"] == "U0ALICE");
        Assert.Equal("U0ALICE", (string?)publish["user_id"]);
        Assert.Equal("home", (string?)publish["view"]!["type"]);
    }

    [Fact]
    public async Task Button_clicks_over_the_socket_are_acked_and_ignored_without_a_handler()
    {
        await StartConnectedAsync();
        var envelope = new JsonObject
        {
            ["envelope_id"] = "act-1",
            ["type"] = "interactive",
            ["accepts_response_payload"] = false,
            ["payload"] = new JsonObject { ["type"] = "block_actions", ["user"] = new JsonObject { ["id"] = "U1" }, ["team"] = new JsonObject { ["id"] = "T1" }, ["actions"] = new JsonArray() },
        };
        await slack.SendEnvelopeAsync(envelope);
        await Eventually.TrueAsync(() => AckFor("act-1") is not null, "the ack");
    }

    [Fact]
    public async Task An_envelope_whose_body_cannot_be_read_is_still_acknowledged_and_runs_nothing()
    {
        await StartConnectedAsync();
        await slack.SendEnvelopeAsync(new JsonObject { ["envelope_id"] = "bad-1", ["type"] = "slash_commands", ["accepts_response_payload"] = true, ["payload"] = "not an object" });

        await Eventually.TrueAsync(() => AckFor("bad-1") is not null, "the ack");
        Assert.Null(AckFor("bad-1")!["payload"]);
        Assert.Empty(host.Pipeline.Prepared);
    }

    [Fact]
    public void Backoff_grows_with_failures_stays_under_the_cap_and_is_jittered()
    {
        var options = new SlackOptions { ReconnectBaseDelay = TimeSpan.FromSeconds(1), ReconnectMaxDelay = TimeSpan.FromSeconds(60) };
        Assert.InRange(SlackSocketModeService.Backoff(1, options), TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
        Assert.InRange(SlackSocketModeService.Backoff(4, options), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8));
        Assert.InRange(SlackSocketModeService.Backoff(40, options), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60));
        var samples = Enumerable.Range(0, 20).Select(_ => SlackSocketModeService.Backoff(6, options)).Distinct().Count();
        Assert.True(samples > 1);
    }
}
