using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace PscaleBot.Bot.Tests.Teams.Support;

/// <summary>Teams-shaped activities as the channel sends them.</summary>
public static class ActivityJson
{
    public const string BotId = "28:" + LocalOpenIdServer.AppId;
    public const string UserAad = "00000000-0000-0000-0000-0000000000a1";
    public const string ChannelId = "19:dbops@thread.tacv2";
    public const string TeamId = "19:general@thread.tacv2";

    private static int counter;

    public static string NewId() => $"1700000000{Interlocked.Increment(ref counter):000}";

    public static JsonObject Message(
        string serviceUrl,
        string text = "<at>pscale</at> service-token show-access abc123def456",
        string conversationType = "channel",
        string? id = null,
        string tenant = LocalOpenIdServer.TenantId,
        string channelId = "msteams")
    {
        var conversationId = conversationType switch
        {
            "channel" => $"{ChannelId};messageid=1699999999999",
            "groupChat" => "19:groupchat-1@thread.v2",
            _ => "a:personal-chat-1",
        };
        var activity = new JsonObject
        {
            ["type"] = "message",
            ["id"] = id ?? NewId(),
            ["timestamp"] = "2026-11-28T18:00:00.000Z",
            ["serviceUrl"] = serviceUrl,
            ["channelId"] = channelId,
            ["from"] = new JsonObject { ["id"] = "29:user-mri", ["name"] = "Alice Example", ["aadObjectId"] = UserAad },
            ["recipient"] = new JsonObject { ["id"] = BotId, ["name"] = "pscale" },
            ["conversation"] = new JsonObject
            {
                ["id"] = conversationId,
                ["conversationType"] = conversationType,
                ["tenantId"] = tenant,
                ["isGroup"] = conversationType != "personal",
            },
            ["text"] = text,
            ["textFormat"] = "plain",
            ["entities"] = new JsonArray(new JsonObject
            {
                ["type"] = "mention",
                ["mentioned"] = new JsonObject { ["id"] = BotId, ["name"] = "pscale" },
                ["text"] = "<at>pscale</at>",
            }),
            ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = tenant } },
        };
        if (conversationType == "channel")
        {
            activity["channelData"]!["team"] = new JsonObject { ["id"] = TeamId };
            activity["channelData"]!["channel"] = new JsonObject { ["id"] = ChannelId, ["name"] = "dbops" };
        }

        return activity;
    }

    public static JsonObject Invoke(string serviceUrl, string verb, string? id = null, string conversationType = "channel")
    {
        var activity = Message(serviceUrl, "", conversationType, id);
        activity["type"] = "invoke";
        activity["name"] = "adaptiveCard/action";
        activity["replyToId"] = "card-activity-1";
        activity.Remove("text");
        activity["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = new JsonObject { ["id"] = "req-1" } },
            ["trigger"] = "manual",
        };
        return activity;
    }

    public static HttpRequestMessage Post(string path, JsonObject activity, string? bearer, string? remoteIp = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (remoteIp is not null)
        {
            request.Headers.Add(TeamsBotFactory.RemoteHeader, remoteIp);
        }

        return request;
    }
}
