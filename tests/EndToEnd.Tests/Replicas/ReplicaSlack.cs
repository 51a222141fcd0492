using System.Net;
using System.Text.Json.Nodes;
using PscaleBot.Bot.Tests.Slack.Fakes;
using PscaleBot.Commands.Access;
using PscaleBot.EndToEnd.Tests.Slack;
using static PscaleBot.EndToEnd.Tests.Slack.SlackPeople;

namespace PscaleBot.EndToEnd.Tests.Replicas;

/// <summary>Slack's side of the replica tests: signed slash commands and clicks sent to a chosen replica, and what came back.</summary>
public sealed class ReplicaSlack(ReplicaSet set)
{
    private static int sequence;

    /// <summary>A fresh id, for trigger ids, response_url ids and click timestamps.</summary>
    public static int Next() => Interlocked.Increment(ref sequence);

    /// <summary>A fresh response_url id.</summary>
    public static string NewResponseId() => $"replica-resp{Next()}";

    /// <summary>Posts the signed <paramref name="body"/> to <paramref name="path"/> on <paramref name="replica"/>; the acknowledgement's status.</summary>
    public static async Task<HttpStatusCode> SendAsync(BotReplica replica, string path, string body, long? timestamp = null)
    {
        using var client = ReplicaSet.ClientOf(replica);
        using var request = SlackSigner.SignedPost(path, body, timestamp);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>The response_url posts made to <paramref name="responseId"/>.</summary>
    public IReadOnlyList<JsonObject> PostsTo(string responseId) => [.. set.Slack.ResponseUrlPosts.Where(p => p.Id == responseId).Select(p => p.Body)];

    /// <summary>A slash command's body, answered at <paramref name="responseId"/>.</summary>
    public string Command(string user, string channel, string text, string responseId) =>
        SlackForms.Command(user, channel, text, set.Slack.ResponseUrl(responseId), $"replica.trigger.{Next()}");

    /// <summary><paramref name="user"/> clicks Approve on the request posted at <paramref name="messageTs"/>, answered at <paramref name="responseId"/>.</summary>
    public string Approve(string user, string requestId, string messageTs, string responseId) =>
        SlackForms.Click(user, Admins, messageTs, AccessActionIds.Approve, requestId, set.Slack.ResponseUrl(responseId),
            $"replica.trigger.{Next()}", $"1700000200.{Next():000000}");

    /// <summary>Alice asks for read_branch on <paramref name="token"/> in #oncall through <paramref name="replica"/>; the request id and the approvers' post.</summary>
    public async Task<(string RequestId, string MessageTs)> RequestAsync(BotReplica replica, string token)
    {
        var reply = NewResponseId();
        var status = await SendAsync(replica, "/slack/commands", Command(Alice, OnCall, $"service-token add-access {token} read_branch --database prod --for 2h --reason \"replicas\"", reply));
        Assert.Equal(HttpStatusCode.OK, status);
        await set.EventuallyAsync(() => Task.FromResult(PostsTo(reply).Count > 0), TimeSpan.FromSeconds(30), $"the request for {token} is answered");
        Assert.Contains("filed", PostsTo(reply)[0].ToJsonString());
        await set.EventuallyAsync(() => Task.FromResult(set.Slack.PostedMessages.Any(m => m.Channel == Admins && m.Body.ToJsonString().Contains(token, StringComparison.Ordinal))),
            TimeSpan.FromSeconds(30), $"the request for {token} is posted to the approvers' channel");
        var post = set.Slack.PostedMessages.Single(m => m.Channel == Admins && m.Body.ToJsonString().Contains(token, StringComparison.Ordinal));
        var actions = post.Body["blocks"]!.AsArray().OfType<JsonObject>().Single(b => (string?)b["type"] == "actions");
        return ((string)actions["elements"]![0]!["value"]!, post.Ts);
    }
}
