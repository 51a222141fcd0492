using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PscaleBot.Bot.Slack.Interactions;
using PscaleBot.Bot.Slack.SocketMode;
using PscaleBot.Bot.Tests.Slack;
using PscaleBot.Bot.Tests.Slack.Fakes;
using PscaleBot.Bot.Tests.Teams.Support;
using PscaleBot.Commands.Access;
using PscaleBot.TestSupport.Postgres;

namespace PscaleBot.Bot.Tests.Chat;

/// <summary>
/// Issue 10 §5, beyond slash commands: a Slack button click (over HTTP and over Socket Mode), a Slack Socket Mode
/// slash command and a Teams card click that arrive while PostgreSQL is down run nothing and get the sentence a typed
/// command gets ("temporarily unavailable, so nothing was changed"). The bot runs on its own throwaway cluster,
/// stopped under it after start-up, so the outage is a real refused connection.
/// </summary>
public sealed class StoreOutageAnswerTests(PostgresCluster cluster) : IClassFixture<PostgresCluster>
{
    private const string Sentence = "temporarily unavailable, so nothing was changed";

    [Fact]
    public async Task A_slack_button_click_over_http_runs_nothing_and_the_clicker_is_told()
    {
        await using var slack = await FakeSlackServer.StartAsync();
        await using var host = new SlackTestHost(slack, await PostgresAsync("click"),
            s => s.AddSingleton<ActionLog>().AddSlackBlockActionHandler<RecordingActionHandler>());
        using var client = host.CreateClient();

        await WhileDownAsync(async () =>
        {
            var body = SlackSigner.Form(("payload", Click(slack, "a-http").ToJsonString()));
            var response = await client.SendAsync(SlackSigner.SignedPost("/slack/interactions", body));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await Eventually.TrueAsync(() => !slack.ResponseUrlPosts.IsEmpty, "the notice to the clicker");
            AssertToldPrivately(slack.ResponseUrlPosts.Single().Body);
            Assert.Empty(host.Services.GetRequiredService<ActionLog>().Actions);
        });
    }

    [Fact]
    public async Task Slack_socket_mode_envelopes_run_nothing_and_say_so_in_the_ack_or_to_the_clicker()
    {
        await using var slack = await FakeSlackServer.StartAsync();
        var settings = await PostgresAsync("socket");
        settings["Slack:Mode"] = "SocketMode";
        settings["Slack:SigningSecret"] = null;
        settings["Slack:AppToken"] = "xapp-test-app-token";
        await using var host = new SlackTestHost(slack, settings,
            s => s.AddSingleton<ActionLog>().AddSlackBlockActionHandler<RecordingActionHandler>());
        using var client = host.CreateClient();
        var state = host.Services.GetRequiredService<SlackConnectionState>();
        await Eventually.TrueAsync(() => state.Status == SlackConnectionStatus.Connected, "the connection");

        await WhileDownAsync(async () =>
        {
            await slack.SendEnvelopeAsync(new JsonObject
            {
                ["envelope_id"] = "env-down-1",
                ["type"] = "slash_commands",
                ["accepts_response_payload"] = true,
                ["payload"] = new JsonObject
                {
                    ["team_id"] = "T0TEAM", ["channel_id"] = "C0OPS", ["channel_name"] = "ops", ["user_id"] = "U0ALICE", ["user_name"] = "alice",
                    ["command"] = "/pscale", ["text"] = "service-token list", ["response_url"] = slack.ResponseUrl("s-down"), ["trigger_id"] = "trig-down",
                },
            });
            await Eventually.TrueAsync(() => Ack(slack, "env-down-1") is not null, "the slash command's ack");
            AssertToldPrivately(Ack(slack, "env-down-1")!["payload"]!.AsObject());

            await slack.SendEnvelopeAsync(new JsonObject
            {
                ["envelope_id"] = "env-down-2",
                ["type"] = "interactive",
                ["accepts_response_payload"] = false,
                ["payload"] = Click(slack, "a-socket"),
            });
            await Eventually.TrueAsync(() => Ack(slack, "env-down-2") is not null && !slack.ResponseUrlPosts.IsEmpty, "the click's ack and notice");
            Assert.Null(Ack(slack, "env-down-2")!["payload"]);
            AssertToldPrivately(slack.ResponseUrlPosts.Single().Body);

            Assert.Empty(host.Pipeline.Prepared);
            Assert.Empty(host.Services.GetRequiredService<ActionLog>().Actions);
        });
    }

    [Fact]
    public async Task A_teams_card_click_is_answered_with_the_sentence_not_an_internal_error()
    {
        await using var openId = await LocalOpenIdServer.StartAsync();
        await using var connector = await FakeConnectorServer.StartAsync();
        await using var factory = new TeamsBotFactory(openId, await PostgresAsync("teams"));
        using var client = factory.CreateClient();

        await WhileDownAsync(async () =>
        {
            var invoke = ActivityJson.Invoke(connector.ServiceUrl, AccessActionIds.Approve);
            invoke["value"]!["action"]!["data"] = new JsonObject { ["id"] = "r-7kq2" };
            var response = await client.SendAsync(ActivityJson.Post("/api/messages", invoke, openId.MintBotFramework(connector.ServiceUrl)));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal(503, body["statusCode"]!.GetValue<int>());
            Assert.Contains(Sentence, body["value"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        });
    }

    private async Task<Dictionary<string, string?>> PostgresAsync(string hint) => new()
    {
        ["Storage:Provider"] = "Postgres",
        ["ConnectionStrings:Postgres"] = await cluster.CreateDatabaseAsync(hint),
    };

    // The server stops under the running bot and comes back for the next test, whatever happened.
    private async Task WhileDownAsync(Func<Task> act)
    {
        await cluster.StopServerAsync();
        try
        {
            await act();
        }
        finally
        {
            await cluster.StartServerAsync();

            // The stop cut the cluster's own pooled admin connections too; the next test creates its database on a fresh one.
            using var admin = new NpgsqlConnection(cluster.AdminConnectionString);
            NpgsqlConnection.ClearPool(admin);
        }
    }

    private static JsonObject? Ack(FakeSlackServer slack, string envelopeId) =>
        slack.Acks.FirstOrDefault(a => (string?)a["envelope_id"] == envelopeId);

    private static void AssertToldPrivately(JsonObject message)
    {
        Assert.Equal("ephemeral", (string?)message["response_type"]);
        Assert.Contains(Sentence, (string?)message["text"], StringComparison.Ordinal);
    }

    private static JsonObject Click(FakeSlackServer slack, string responseId) => new()
    {
        ["type"] = "block_actions",
        ["team"] = new JsonObject { ["id"] = "T0TEAM" },
        ["user"] = new JsonObject { ["id"] = "U0BOB", ["username"] = "bob", ["team_id"] = "T0TEAM" },
        ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = "1700000000.000100", ["channel_id"] = "C0APPROVERS", ["is_ephemeral"] = false },
        ["channel"] = new JsonObject { ["id"] = "C0APPROVERS", ["name"] = "approvers" },
        ["response_url"] = slack.ResponseUrl(responseId),
        ["trigger_id"] = "t.down",
        ["actions"] = new JsonArray(new JsonObject
        {
            ["type"] = "button", ["action_id"] = "access_approve:req_42", ["block_id"] = "approval_actions", ["value"] = "req_42", ["action_ts"] = "1700000001.1",
        }),
    };
}
