using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Bot.Teams.Inbound;
using PscaleBot.Bot.Teams.Protocol;
using PscaleBot.Bot.Teams.Protocol.Cards;
using PscaleBot.Bot.Tests.Teams.Support;

namespace PscaleBot.Bot.Tests.Teams;

/// <summary>
/// The typed Bot Framework activities read the documented Teams payloads (Bot Framework Activity spec,
/// msteams-docs, and payloads captured from the Agents Playground; see shared/reference/teams.md §1), and what
/// the bot sends serialises to exactly the documented shapes.
/// </summary>
public sealed class TeamsWireModelTests
{
    [Fact]
    public void A_channel_message_with_a_mention_and_client_info_is_read()
    {
        var activity = TeamsWire.Parse("""
            {
              "type": "message",
              "id": "1700000000001",
              "timestamp": "2026-11-28T18:00:00.123Z",
              "localTimestamp": "2026-11-28T19:00:00.123+01:00",
              "localTimezone": "Europe/Berlin",
              "serviceUrl": "https://smba.trafficmanager.net/emea/",
              "channelId": "msteams",
              "from": { "id": "29:1abc", "name": "Alice Example", "aadObjectId": "00000000-0000-0000-0000-0000000000a1" },
              "conversation": {
                "isGroup": true, "conversationType": "channel", "tenantId": "tenant-1",
                "id": "19:dbops@thread.tacv2;messageid=1699999999999"
              },
              "recipient": { "id": "28:app-id", "name": "pscale" },
              "textFormat": "plain",
              "text": "\r\n<at>pscale</at> service-token show-access abc123\r\n",
              "locale": "en-US",
              "entities": [
                { "type": "mention", "mentioned": { "id": "28:app-id", "name": "pscale" }, "text": "<at>pscale</at>" },
                { "type": "clientInfo", "locale": "en-US", "country": "US", "platform": "Web", "timezone": "Europe/Berlin" }
              ],
              "channelData": {
                "teamsChannelId": "19:dbops@thread.tacv2",
                "teamsTeamId": "19:general@thread.tacv2",
                "channel": { "id": "19:dbops@thread.tacv2", "name": "dbops" },
                "team": { "id": "19:general@thread.tacv2", "name": "Platform", "aadGroupId": "g-1" },
                "tenant": { "id": "tenant-1" },
                "source": { "name": "message" }
              }
            }
            """);

        Assert.Equal("message", activity.Type);
        Assert.Equal("1700000000001", activity.Id);
        Assert.Equal("https://smba.trafficmanager.net/emea/", activity.ServiceUrl);
        Assert.Equal("msteams", activity.ChannelId);
        Assert.Equal(new ChannelAccount { Id = "29:1abc", Name = "Alice Example", AadObjectId = "00000000-0000-0000-0000-0000000000a1" }, activity.From);
        Assert.Equal(new ChannelAccount { Id = "28:app-id", Name = "pscale" }, activity.Recipient);
        Assert.Equal(new ConversationAccount { Id = "19:dbops@thread.tacv2;messageid=1699999999999", ConversationType = "channel", TenantId = "tenant-1", IsGroup = true }, activity.Conversation);
        Assert.Equal("\r\n<at>pscale</at> service-token show-access abc123\r\n", activity.Text);
        Assert.Equal("en-US", activity.Locale);
        Assert.Equal(2, activity.Entities!.Count);
        Assert.Equal(new Entity { Type = "mention", Mentioned = new ChannelAccount { Id = "28:app-id", Name = "pscale" }, Text = "<at>pscale</at>" }, activity.Entities[0]);
        Assert.Equal("clientInfo", activity.Entities[1].Type);
        Assert.Equal(new IdAndName { Id = "19:dbops@thread.tacv2", Name = "dbops" }, activity.ChannelData!.Channel);
        Assert.Equal(new IdAndName { Id = "19:general@thread.tacv2", Name = "Platform" }, activity.ChannelData.Team);
        Assert.Equal("tenant-1", activity.TenantId);
        Assert.Null(activity.Value);
        Assert.Equal("service-token show-access abc123", BotMentionText.Extract(activity));
    }

    [Fact]
    public void A_personal_message_takes_its_tenant_from_the_conversation()
    {
        var activity = TeamsWire.Parse("""
            {
              "type": "message", "id": "2", "serviceUrl": "https://smba.trafficmanager.net/amer/", "channelId": "msteams",
              "from": { "id": "29:1abc", "aadObjectId": "a1" }, "recipient": { "id": "28:app-id" },
              "conversation": { "conversationType": "personal", "tenantId": "tenant-2", "id": "a:1personal" },
              "text": "whoami"
            }
            """);

        Assert.Equal("personal", activity.Conversation!.ConversationType);
        Assert.Null(activity.ChannelData);
        Assert.Equal("tenant-2", activity.TenantId);
    }

    [Fact]
    public void An_action_execute_invoke_carries_its_verb_and_data()
    {
        var activity = TeamsWire.Parse("""
            {
              "type": "invoke", "name": "adaptiveCard/action", "id": "f:123", "replyToId": "1700000000009",
              "serviceUrl": "https://smba.trafficmanager.net/amer/", "channelId": "msteams",
              "from": { "id": "29:1abc", "aadObjectId": "a1" }, "recipient": { "id": "28:app-id" },
              "conversation": { "conversationType": "channel", "tenantId": "tenant-1", "id": "19:dbops@thread.tacv2;messageid=1" },
              "value": {
                "action": { "type": "Action.Execute", "id": "approve-1", "verb": "pscale.access.extend", "data": { "id": "g-7kq2", "for": "1h" } },
                "trigger": "manual"
              },
              "channelData": { "tenant": { "id": "tenant-1" }, "source": { "name": "message" } }
            }
            """);

        Assert.Equal("invoke", activity.Type);
        Assert.Equal("adaptiveCard/action", activity.Name);
        Assert.Equal("1700000000009", activity.ReplyToId);
        Assert.Equal("manual", activity.Value!.Trigger);
        Assert.Equal("Action.Execute", activity.Value.Action!.Type);
        Assert.Equal("approve-1", activity.Value.Action.Id);
        Assert.Equal("pscale.access.extend", activity.Value.Action.Verb);
        Assert.Equal(new CardActionData { Id = "g-7kq2", For = "1h" }, activity.Value.Action.Data);
    }

    [Fact]
    public void A_legacy_submit_is_a_message_whose_value_is_the_button_data()
    {
        var activity = TeamsWire.Parse("""
            {
              "type": "message", "id": "3", "replyToId": "1700000000009",
              "serviceUrl": "https://smba.trafficmanager.net/amer/", "channelId": "msteams",
              "from": { "id": "29:1abc", "aadObjectId": "a1" }, "recipient": { "id": "28:app-id" },
              "conversation": { "conversationType": "groupChat", "tenantId": "tenant-1", "id": "19:chat@thread.v2" },
              "value": { "verb": "pscale.access.approve", "id": "r-7kq2" }
            }
            """);

        Assert.Null(activity.Text);
        Assert.Equal("pscale.access.approve", activity.Value!.Verb);
        Assert.Equal("r-7kq2", activity.Value.Id);
        Assert.Null(activity.Value.For);
        Assert.Null(activity.Value.Action);
    }

    [Fact]
    public void A_conversation_update_and_an_installation_update_are_read()
    {
        var update = TeamsWire.Parse("""
            {
              "type": "conversationUpdate", "id": "4", "serviceUrl": "https://smba.trafficmanager.net/amer/", "channelId": "msteams",
              "from": { "id": "29:admin", "aadObjectId": "a9" }, "recipient": { "id": "28:app-id" },
              "conversation": { "conversationType": "channel", "tenantId": "tenant-1", "id": "19:general@thread.tacv2", "isGroup": true },
              "membersAdded": [ { "id": "28:app-id" } ],
              "membersRemoved": [ { "id": "29:bob", "aadObjectId": "b2" } ],
              "channelData": { "eventType": "teamMemberAdded", "team": { "id": "19:general@thread.tacv2" }, "tenant": { "id": "tenant-1" } }
            }
            """);
        var install = TeamsWire.Parse("""
            { "type": "installationUpdate", "action": "add", "id": "5", "serviceUrl": "https://smba.trafficmanager.net/amer/",
              "from": { "id": "29:admin" }, "recipient": { "id": "28:app-id" }, "conversation": { "id": "a:1", "conversationType": "personal" } }
            """);

        Assert.Equal("conversationUpdate", update.Type);
        Assert.Equal("teamMemberAdded", update.ChannelData!.EventType);
        Assert.Equal("28:app-id", Assert.Single(update.MembersAdded!).Id);
        Assert.Equal("b2", Assert.Single(update.MembersRemoved!).AadObjectId);
        Assert.Equal("19:general@thread.tacv2", update.ChannelData.Team!.Id);
        Assert.Equal("installationUpdate", install.Type);
        Assert.Equal("add", install.Action);
    }

    [Fact]
    public void A_reply_serialises_to_the_documented_activity_shape()
    {
        var card = new AdaptiveCard { FallbackText = "fallback", Body = [new TextBlock("hi")] };
        var reply = new OutgoingActivity
        {
            Text = "Done",
            TextFormat = "markdown",
            Attachments = [Attachment.Card(card)],
            From = new ChannelAccount { Id = "28:app-id", Name = "pscale" },
            Recipient = new ChannelAccount { Id = "29:1abc", Name = "Alice" },
            Conversation = new ConversationAccount { Id = "a:1" },
            ReplyToId = "1700000000001",
        };

        Assert.Equal(
            """{"type":"message","text":"Done","textFormat":"markdown","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":{"type":"AdaptiveCard","$schema":"http://adaptivecards.io/schemas/adaptive-card.json","version":"1.5","fallbackText":"fallback","body":[{"type":"TextBlock","text":"hi","wrap":true}]}}],"from":{"id":"28:app-id","name":"pscale"},"recipient":{"id":"29:1abc","name":"Alice"},"conversation":{"id":"a:1"},"replyToId":"1700000000001"}""",
            JsonSerializer.Serialize(reply, TeamsJsonContext.Default.OutgoingActivity));
        Assert.Equal("""{"type":"typing"}""", JsonSerializer.Serialize(OutgoingActivity.Typing, TeamsJsonContext.Default.OutgoingActivity));
    }

    [Fact]
    public void A_new_personal_conversation_is_asked_for_in_the_documented_shape()
    {
        var request = new CreateConversationRequest(false, new ChannelAccount { Id = "28:app-id", Name = "pscale" }, [new ChannelAccount { Id = "29:1abc" }], "tenant-1",
            new TeamsChannelData { Tenant = new IdAndName { Id = "tenant-1" } });

        Assert.Equal(
            """{"isGroup":false,"bot":{"id":"28:app-id","name":"pscale"},"members":[{"id":"29:1abc"}],"tenantId":"tenant-1","channelData":{"tenant":{"id":"tenant-1"}}}""",
            JsonSerializer.Serialize(request, TeamsJsonContext.Default.CreateConversationRequest));
        Assert.Equal("a:1", JsonSerializer.Deserialize("""{"id":"a:1","activityId":"x"}""", TeamsJsonContext.Default.ResourceResponse)!.Id);
    }

    [Fact]
    public async Task Invoke_responses_serialise_as_status_type_and_value()
    {
        var card = new AdaptiveCard { Body = [new TextBlock("done")] };

        Assert.Equal(
            """{"statusCode":200,"type":"application/vnd.microsoft.activity.message","value":"Done."}""",
            await BodyOf(TeamsInvokeResponse.Message("Done.")));
        Assert.Equal(
            """{"statusCode":400,"type":"application/vnd.microsoft.error","value":{"code":"BadRequest","message":"No verb."}}""",
            await BodyOf(TeamsInvokeResponse.Error(400, "BadRequest", "No verb.")));
        Assert.Equal(
            """{"statusCode":200,"type":"application/vnd.microsoft.card.adaptive","value":{"type":"AdaptiveCard","$schema":"http://adaptivecards.io/schemas/adaptive-card.json","version":"1.5","body":[{"type":"TextBlock","text":"done","wrap":true}]}}""",
            await BodyOf(TeamsInvokeResponse.Card(card)));
    }

    [Fact]
    public void Every_element_and_action_writes_its_type_first()
    {
        var execute = new ExecuteAction("Refresh", "pscale.refresh", new CardActionData { Id = "r-1" });
        var card = new AdaptiveCard
        {
            Body =
            [
                new Container([new TextBlock("in a box") { Color = TextColor.Good }]) { Style = ContainerStyle.Emphasis },
                new ColumnSet([new Column([new FactSet([new Fact("a", "b")])], "auto")]),
            ],
            Actions =
            [
                execute with { Style = ActionStyle.Positive, Fallback = new SubmitAction("Refresh", new CardActionData { Verb = "pscale.refresh", Id = "r-1" }) },
                new OpenUrlAction("Docs", new Uri("https://planetscale.com/docs")),
            ],
            Refresh = new CardRefresh(execute, ["29:1abc"]),
        };

        Assert.Equal(
            """{"type":"AdaptiveCard","$schema":"http://adaptivecards.io/schemas/adaptive-card.json","version":"1.5","body":[""" +
            """{"type":"Container","items":[{"type":"TextBlock","text":"in a box","wrap":true,"color":"Good"}],"style":"emphasis"},""" +
            """{"type":"ColumnSet","columns":[{"type":"Column","items":[{"type":"FactSet","facts":[{"title":"a","value":"b"}]}],"width":"auto"}]}],""" +
            """"
            "actions":[{"type":"Action.Execute","title":"Refresh","verb":"pscale.refresh","data":{"id":"r-1"},"style":"positive","fallback":{"type":"Action.Submit","title":"Refresh","data":{"verb":"pscale.refresh","id":"r-1"}}},
            """" +
            """{"type":"Action.OpenUrl","title":"Docs","url":"https://planetscale.com/docs"}],""" +
            """"
            "refresh":{"action":{"type":"Action.Execute","title":"Refresh","verb":"pscale.refresh","data":{"id":"r-1"},"style":"default"},"userIds":["29:1abc"]}}
            """",
            JsonSerializer.Serialize(card, TeamsJsonContext.Default.AdaptiveCard));
    }

    [Fact]
    public void The_counted_size_is_the_serialised_size_with_escapes_and_surrogates()
    {
        var card = new AdaptiveCard { FallbackText = "<é😀\"\n```>", Body = [new TextBlock("a & b \u2028 ü")] };

        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(card, TeamsJsonContext.Default.AdaptiveCard).Length, TeamsJson.SizeInBytes(card, TeamsJsonContext.Default.AdaptiveCard));
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes("é😀<", TeamsJsonContext.Default.String).Length - 2, TeamsJson.StringContentBytes("é😀<"));
    }

    private static async Task<string> BodyOf(TeamsInvokeResponse response)
    {
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        http.Response.Body = new MemoryStream();
        await response.ToHttpResult().ExecuteAsync(http);
        http.Response.Body.Position = 0;
        return await new StreamReader(http.Response.Body).ReadToEndAsync();
    }
}
