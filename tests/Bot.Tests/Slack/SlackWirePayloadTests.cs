using System.Text.Json;
using PscaleBot.Bot.Slack.Api;
using PscaleBot.Bot.Slack.Commands;
using PscaleBot.Bot.Slack.Interactions;
using PscaleBot.Bot.Slack.Rendering;
using PscaleBot.Bot.Slack.SocketMode;

namespace PscaleBot.Bot.Tests.Slack;

/// <summary>
/// The typed Slack wire records read the JSON samples Slack documents (shared/reference/slack.md §3.2, §5.2:
/// node-slack-sdk SocketModeClient.test.ts, java-slack-sdk BlockActionPayload.json, bolt-js block-action.ts)
/// and write the Block Kit JSON Slack documents.
/// </summary>
public sealed class SlackWirePayloadTests
{
    private static SocketModeFrame Frame(string json) => JsonSerializer.Deserialize(json, SlackJsonContext.Default.SocketModeFrame)!;

    private const string BlockActions = """
        {
          "type": "block_actions",
          "team": {"id": "T9TK3CUKW", "domain": "example"},
          "user": {"id": "UA8RXUSPL", "username": "jtorrance", "name": "jtorrance", "team_id": "T9TK3CUKW"},
          "api_app_id": "AABA1ABCD", "token": "9s8d9as89d8as9d8as989", "trigger_id": "12466734323.1395872398",
          "container": {"type": "message", "message_ts": "1548261231.000200", "channel_id": "CBR2V3XEX", "is_ephemeral": false},
          "channel": {"id": "CBR2V3XEX", "name": "review-updates"},
          "message": {"type": "message", "ts": "1548261231.000200", "text": "Access request r-7kq2",
                      "blocks": [{"type": "section", "block_id": "x", "text": {"type": "mrkdwn", "text": "hi", "verbatim": false}}]},
          "response_url": "https://hooks.slack.com/actions/T9TK3CUKW/123/abc",
          "state": {"values": {"approval_actions": {"approve_request": {"type": "button"}}}},
          "actions": [{"type": "button", "action_id": "pscale.access.approve", "block_id": "access:r-7kq2:v0",
                       "value": "r-7kq2", "style": "primary", "text": {"type": "plain_text", "text": "Approve", "emoji": true},
                       "action_ts": "1548426417.840180"}],
          "is_enterprise_install": false, "enterprise": null
        }
        """;

    [Fact]
    public void Hello_is_read_with_its_connection_details()
    {
        var hello = Assert.IsType<HelloFrame>(Frame("""
            {"type":"hello","num_connections":1,"debug_info":{"host":"applink-1","build_number":10,"approximate_connection_time":18060},"connection_info":{"app_id":"A012ABCDEF"}}
            """));

        Assert.Equal(1, hello.NumConnections);
        Assert.Equal(18060, hello.DebugInfo?.ApproximateConnectionTime);
        Assert.Equal("A012ABCDEF", hello.ConnectionInfo?.AppId);
        Assert.Null(hello.EnvelopeId);
    }

    [Theory]
    [InlineData("""{"type":"disconnect","reason":"refresh_requested","debug_info":{"host":"wss-111.slack.com"}}""", "refresh_requested")]
    [InlineData("""{"type":"disconnect","reason":"warning","debug_info":{"host":"applink-2"}}""", "warning")]
    [InlineData("""{"reason":"link_disabled","type":"disconnect"}""", "link_disabled")]
    public void Disconnect_reasons_are_read_as_free_strings(string json, string reason) =>
        Assert.Equal(reason, Assert.IsType<DisconnectFrame>(Frame(json)).Reason);

    [Fact]
    public void A_slash_command_envelope_is_read_with_the_same_fields_as_the_form()
    {
        var envelope = Assert.IsType<SlashCommandsEnvelope>(Frame("""
            {"envelope_id":"1d3c79ab-0ffb-41f3-a080-d19e85f53649","type":"slash_commands","accepts_response_payload":true,
             "payload":{"token":"xxx","team_id":"T111","team_domain":"xxx","channel_id":"C111","channel_name":"random",
               "user_id":"U111","user_name":"seratch","command":"/hello-socket-mode","text":"","api_app_id":"A111",
               "is_enterprise_install":"false","response_url":"https://hooks.slack.com/commands/T111/111/xxx","trigger_id":"111.222.xxx"}}
            """));

        Assert.Equal("1d3c79ab-0ffb-41f3-a080-d19e85f53649", envelope.EnvelopeId);
        Assert.True(envelope.AcceptsResponsePayload);
        var command = SlackSlashCommand.From(envelope.Payload);
        Assert.Equal(new SlackSlashCommand("T111", null, false, "C111", "random", "U111", "seratch", "/hello-socket-mode", "", "https://hooks.slack.com/commands/T111/111/xxx", "111.222.xxx"), command);
    }

    [Fact]
    public void The_http_form_of_a_slash_command_is_read_into_the_same_command()
    {
        // Slack's documented signing example (shared/reference/slack.md §2.2).
        const string body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        var form = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(body);

        var command = SlackSlashCommand.FromFields(name => form.TryGetValue(name, out var value) ? value.ToString() : null);

        Assert.Equal(new SlackSlashCommand("T1DC2JH3J", null, false, "G8PSS9T3V", "foobar", "U2CERLKJA", "roadrunner", "/webhook-collect", "",
            "https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN", "398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"), command);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("\"true\"", true)]
    [InlineData("false", false)]
    [InlineData("\"false\"", false)]
    [InlineData("{\"odd\":true}", false)]
    public void Enterprise_install_is_read_as_a_boolean_or_the_string_slash_commands_send(string value, bool expected)
    {
        var payload = JsonSerializer.Deserialize($$"""{"team_id":"T1","is_enterprise_install":{{value}},"user_id":"U1"}""", SlackJsonContext.Default.SlashCommandPayload)!;
        Assert.Equal(expected, payload.IsEnterpriseInstall);
        Assert.Equal("U1", payload.UserId);
    }

    [Fact]
    public void A_slash_command_without_the_ids_the_bot_relies_on_is_refused()
    {
        Assert.Null(SlackSlashCommand.From(new SlashCommandPayload { TeamId = "T1", ChannelId = "C1", UserId = " " }));
        Assert.Null(SlackSlashCommand.From(null));
    }

    [Fact]
    public void A_block_actions_payload_is_read_field_by_field()
    {
        var clicks = Assert.IsType<BlockActionsPayload>(JsonSerializer.Deserialize(BlockActions, SlackJsonContext.Default.InteractionPayload));

        Assert.Equal(new SlackUserRef("UA8RXUSPL", "jtorrance", "jtorrance", "T9TK3CUKW"), clicks.User);
        Assert.Equal(new SlackTeamRef("T9TK3CUKW", "example"), clicks.Team);
        Assert.Equal(new SlackChannelRef("CBR2V3XEX", "review-updates"), clicks.Channel);
        Assert.Equal(new InteractionContainer("message", "1548261231.000200", "CBR2V3XEX", false), clicks.Container);
        Assert.Equal("1548261231.000200", clicks.Message?.Ts);
        Assert.Equal("https://hooks.slack.com/actions/T9TK3CUKW/123/abc", clicks.ResponseUrl);
        Assert.Equal("12466734323.1395872398", clicks.TriggerId);
        var action = Assert.Single(clicks.Actions!);
        Assert.Equal(new BlockAction("button", "pscale.access.approve", "access:r-7kq2:v0", "r-7kq2", SlackText.Plain("Approve"), null, "1548426417.840180"), action);
    }

    [Fact]
    public void An_interactive_envelope_carries_the_same_payload_even_when_type_is_not_first()
    {
        var reordered = BlockActions.Replace("\"type\": \"block_actions\",", "", StringComparison.Ordinal).TrimEnd().TrimEnd('}') + ", \"type\": \"block_actions\"}";
        var envelope = Assert.IsType<InteractiveEnvelope>(Frame($$"""{"envelope_id":"57d6","accepts_response_payload":false,"payload":{{reordered}},"type":"interactive"}"""));

        var clicks = Assert.IsType<BlockActionsPayload>(envelope.Payload);
        Assert.Equal("r-7kq2", clicks.Actions![0].Value);
        Assert.Equal("57d6", envelope.EnvelopeId);
    }

    [Fact]
    public void Interactions_not_handled_yet_are_read_as_their_base_type()
    {
        var payload = JsonSerializer.Deserialize("""{"type":"view_submission","user":{"id":"U1"},"team":{"id":"T1"},"view":{"id":"V1"}}""", SlackJsonContext.Default.InteractionPayload)!;

        Assert.IsNotType<BlockActionsPayload>(payload);
        Assert.Equal("U1", payload.User?.Id);
    }

    [Fact]
    public void An_events_api_envelope_keeps_its_retry_details_and_event_id()
    {
        var envelope = Assert.IsType<EventsApiEnvelope>(Frame("""
            {"envelope_id":"e-1","type":"events_api","accepts_response_payload":false,"retry_attempt":1,"retry_reason":"timeout",
             "payload":{"type":"event_callback","event_id":"Ev123","team_id":"T1","api_app_id":"A1","event_time":1700000000,"event":{"type":"app_mention","text":"hi"}}}
            """));

        Assert.Equal(1, envelope.RetryAttempt);
        Assert.Equal("timeout", envelope.RetryReason);
        Assert.Equal("Ev123", envelope.Payload?.EventId);
    }

    [Fact]
    public void An_unknown_envelope_type_still_yields_its_id_for_the_acknowledgement()
    {
        var frame = Frame("""{"envelope_id":"x-1","type":"something_new","payload":{}}""");

        Assert.Equal(typeof(SocketModeFrame), frame.GetType());
        Assert.Equal("x-1", frame.EnvelopeId);
    }

    [Fact]
    public void Blocks_serialise_to_the_json_slack_documents()
    {
        IReadOnlyList<SlackBlock> blocks =
        [
            BlockKit.Header("Access request r-7kq2"),
            BlockKit.Fields(["*Token*\n`abc`"]),
            BlockKit.Context("Needs 2 approvals"),
            BlockKit.Actions("approval_actions", [BlockKit.Button("approve_request", "Approve", "req_42", "primary"), BlockKit.Button("deny_request", "Deny", "req_42")]),
            BlockKit.Divider(),
            BlockKit.Table(
                [[BlockKit.RawCell("Database"), BlockKit.RawCell("Permission")], [BlockKit.RichCell([("mydb", TextStyle.Code)]), BlockKit.RawCell("create_branch")]],
                [new TableColumnSetting(IsWrapped: true), new TableColumnSetting(Align: "left")]),
        ];

        var json = JsonSerializer.Serialize(blocks, SlackJsonContext.Default.IReadOnlyListSlackBlock);

        Assert.Equal(
            """[{"type":"header","text":{"type":"plain_text","text":"Access request r-7kq2","emoji":true}},""" +
            """{"type":"section","fields":[{"type":"mrkdwn","text":"*Token*\n\u0060abc\u0060"}]},""" +
            """{"type":"context","elements":[{"type":"mrkdwn","text":"Needs 2 approvals"}]},""" +
            """{"type":"actions","block_id":"approval_actions","elements":[""" +
            """{"type":"button","action_id":"approve_request","text":{"type":"plain_text","text":"Approve","emoji":true},"value":"req_42","style":"primary"},""" +
            """{"type":"button","action_id":"deny_request","text":{"type":"plain_text","text":"Deny","emoji":true},"value":"req_42"}]},""" +
            """{"type":"divider"},""" +
            """{"type":"table","column_settings":[{"is_wrapped":true},{"align":"left"}],"rows":[""" +
            """[{"type":"raw_text","text":"Database"},{"type":"raw_text","text":"Permission"}],""" +
            """[{"type":"rich_text","elements":[{"type":"rich_text_section","elements":[{"type":"text","text":"mydb","style":{"code":true}}]}]},{"type":"raw_text","text":"create_branch"}]]}]""",
            json);
    }

    [Fact]
    public void Blocks_read_back_from_their_json_are_the_same_records()
    {
        var section = BlockKit.Section("hello");
        var json = JsonSerializer.Serialize<IReadOnlyList<SlackBlock>>([section, BlockKit.Divider()], SlackJsonContext.Default.IReadOnlyListSlackBlock);

        var blocks = JsonSerializer.Deserialize(json, SlackJsonContext.Default.IReadOnlyListSlackBlock)!;

        Assert.Equal(section, blocks[0]);
        Assert.IsType<DividerBlock>(blocks[1]);
    }

    [Fact]
    public void Table_cells_read_back_from_their_json_whatever_the_order_of_their_fields()
    {
        // Slack echoes a message's blocks in interaction payloads, and does not always put "type" first.
        const string Json = """
            [{"type":"table","rows":[[{"text":"Database","type":"raw_text"},
            {"elements":[{"type":"rich_text_section","elements":[{"type":"text","text":"mydb","style":{"code":true}}]}],"type":"rich_text"}]]}]
            """;

        var table = Assert.IsType<TableBlock>(Assert.Single(JsonSerializer.Deserialize(Json, SlackJsonContext.Default.IReadOnlyListSlackBlock)!));

        Assert.Equal(new RawTextCell("Database"), table.Rows[0][0]);
        var run = Assert.Single(Assert.Single(Assert.IsType<RichTextCell>(table.Rows[0][1]).Elements).Elements);
        Assert.Equal(new RichTextRun("mydb", new RichTextStyle(Code: true)), run);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""[{"type":"table","rows":[[{"type":"emoji","name":"x"}]]}]""", SlackJsonContext.Default.IReadOnlyListSlackBlock));
    }

    [Fact]
    public void A_response_url_body_says_who_sees_it_and_always_whether_it_replaces_the_original()
    {
        var json = JsonSerializer.Serialize(new SlackResponseMessage(SlackResponseType.InChannel, "done", null), SlackJsonContext.Default.SlackResponseMessage);

        Assert.Equal("""{"response_type":"in_channel","text":"done","replace_original":false}""", json);
    }
}
