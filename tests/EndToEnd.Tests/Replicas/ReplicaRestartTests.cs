using System.Net;
using System.Text.Json.Nodes;
using PscaleBot.Bot.Tests.Teams.Support;
using PscaleBot.Commands.Access;
using PscaleBot.EndToEnd.Tests.Support;
using PscaleBot.EndToEnd.Tests.Teams;
using Xunit.Abstractions;
using static PscaleBot.EndToEnd.Tests.Slack.SlackPeople;

namespace PscaleBot.EndToEnd.Tests.Replicas;

/// <summary>
/// Issue 10, section 3 (restart): all three replicas stop (SIGTERM) and three new processes start on the same
/// database. A pending request can still be approved, an active grant keeps its revocation time, and the Teams
/// approvers' channel, seen only before the restart, still gets the next approval card (no <c>Teams:ServiceUrl</c>
/// is set: the stored conversation reference is the only way there).
/// </summary>
[Collection(ReplicaCollection.Name)]
[Trait("Category", "Replicas")]
public sealed class ReplicaRestartTests(ReplicaSet set, ITestOutputHelper output)
{
    private readonly ReplicaSlack slack = new(set);

    [Fact]
    public async Task After_all_three_restart_pending_requests_grants_and_teams_conversations_are_kept()
    {
        await set.EnsureRunningAsync();
        await set.SetSandboxAsync(rateLimitPerMinute: 600, latencyMs: 0);
        using var api = new SandboxApi(set.Sandbox);
        var pendingToken = await api.CreateTokenAsync($"restart-pending-{ReplicaSlack.Next()}");
        var grantedToken = await api.CreateTokenAsync($"restart-granted-{ReplicaSlack.Next()}");
        var teamsToken = await api.CreateTokenAsync($"restart-teams-{ReplicaSlack.Next()}");

        // Before: the Teams approvers' channel is seen once (on r2); one Slack request stays pending, another is granted.
        var seen = Message(AdminsChannelMessage("<at>pscale</at> access list"));
        Assert.Equal(HttpStatusCode.OK, await TeamsAsync(set.Replicas[1], seen));
        await set.Connector.WaitForAsync(c => c.ActivityType == "message" && c.DecodedPath.Contains($"/v3/conversations/{TeamsEndToEndBase.AdminsChannelId}", StringComparison.Ordinal));
        var (pendingId, pendingTs) = await slack.RequestAsync(set.Replicas[0], pendingToken);
        var (grantedRequestId, grantedTs) = await slack.RequestAsync(set.Replicas[1], grantedToken);
        var approved = ReplicaSlack.NewResponseId();
        await ReplicaSlack.SendAsync(set.Replicas[2], "/slack/interactions", slack.Approve(Boss, grantedRequestId, grantedTs, approved));
        await set.EventuallyAsync(async () => (await set.Store.GetRequestAsync(grantedRequestId, CancellationToken.None))?.GrantId is not null
                && (await api.GrantsAsync(grantedToken)).Any(g => g.ResourceName == "prod" && g.Accesses.Contains("read_branch")),
            TimeSpan.FromSeconds(30), "the second request is granted");
        var pendingBefore = (await set.Store.GetRequestAsync(pendingId, CancellationToken.None))!;
        var grantBefore = Assert.Single(await set.Store.ListActiveGrantsOnTokenAsync("acme", grantedToken, CancellationToken.None));

        await set.RestartAllAsync();
        output.WriteLine($"three replicas stopped with SIGTERM and started again; ready in {set.LastStart.TotalSeconds:0.0} s");

        // The store kept both, to the millisecond.
        var pendingAfter = (await set.Store.GetRequestAsync(pendingId, CancellationToken.None))!;
        Assert.Equal(AccessRequestState.Pending, pendingAfter.State);
        Assert.Equal(pendingBefore.ExpiresAt, pendingAfter.ExpiresAt);
        var grantAfter = Assert.Single(await set.Store.ListActiveGrantsOnTokenAsync("acme", grantedToken, CancellationToken.None));
        Assert.Equal((grantBefore.Id, grantBefore.EndsAt), (grantAfter.Id, grantAfter.EndsAt));
        Assert.Null(grantAfter.Claim);
        Assert.Contains("read_branch", (await api.GrantsAsync(grantedToken)).Single(g => g.ResourceName == "prod").Accesses);

        // The new processes act on them: the request filed before the restart is approved through r3 and granted.
        var reply = ReplicaSlack.NewResponseId();
        Assert.Equal(HttpStatusCode.OK, await ReplicaSlack.SendAsync(set.Replicas[2], "/slack/interactions", slack.Approve(Boss2, pendingId, pendingTs, reply)));
        await set.EventuallyAsync(async () => (await set.Store.GetRequestAsync(pendingId, CancellationToken.None))?.GrantId is not null
                && (await api.GrantsAsync(pendingToken)).Any(g => g.ResourceName == "prod" && g.Accesses.Contains("read_branch")),
            TimeSpan.FromSeconds(30), "the request filed before the restart is approved and granted after it");
        Assert.Equal(AccessRequestState.Approved, (await set.Store.GetRequestAsync(pendingId, CancellationToken.None))!.State);

        // A Teams request after the restart (on r1, which never saw the approvers' channel) reaches that channel.
        var ask = Message(ActivityJson.Message(set.Connector.ServiceUrl,
            $"<at>pscale</at> service-token add-access {teamsToken} connect_production_branch --database prod --for 1h --reason \"after restart\""));
        Assert.Equal(HttpStatusCode.OK, await TeamsAsync(set.Replicas[0], ask));
        var card = await set.Connector.WaitForAsync(c => c.Method == "POST"
            && c.DecodedPath.EndsWith($"/v3/conversations/{TeamsEndToEndBase.AdminsChannelId}/activities", StringComparison.Ordinal)
            && c.RawBody.Contains(teamsToken, StringComparison.Ordinal) && c.Card?["refresh"] is not null);
        Assert.NotNull(card.AnsweredId);
        var teamsRequest = Assert.Single(await set.Store.ListPendingRequestsAsync(CancellationToken.None), r => r.Target.TokenId == teamsToken);
        output.WriteLine($"kept across the restart: pending request {pendingId} (then approved), grant {grantAfter.Id} ending {grantAfter.EndsAt:O}; " +
            $"Teams card for {teamsRequest.Id} posted to the approvers' channel learnt before the restart");
    }

    private static JsonObject AdminsChannelMessage(string text)
    {
        var message = ActivityJson.Message("", text);
        message["from"] = new JsonObject { ["id"] = "29:approver-mri", ["name"] = "Bob Approver", ["aadObjectId"] = TeamsEndToEndBase.ApproverAad };
        message["conversation"]!["id"] = TeamsEndToEndBase.AdminsChannelId + ";messageid=1700000000000";
        message["channelData"]!["channel"]!["id"] = TeamsEndToEndBase.AdminsChannelId;
        message["channelData"]!["channel"]!["name"] = "db-admins";
        return message;
    }

    private JsonObject Message(JsonObject activity)
    {
        activity["serviceUrl"] = set.Connector.ServiceUrl;
        return activity;
    }

    private static async Task<HttpStatusCode> TeamsAsync(BotReplica replica, JsonObject activity)
    {
        using var client = ReplicaSet.ClientOf(replica);
        using var request = ActivityJson.Post("/api/messages", activity, bearer: null);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
