using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PscaleBot.Commands.Access;
using PscaleBot.EndToEnd.Tests.Support;
using Xunit.Abstractions;
using static PscaleBot.EndToEnd.Tests.Slack.SlackPeople;

namespace PscaleBot.EndToEnd.Tests.Replicas;

/// <summary>
/// Issue 10, section 3 (approvals, re-delivery): over the three replicas on one database, 100 concurrent Approve clicks
/// on one request grant once, and one signed slash command delivered to two replicas runs and answers once.
/// </summary>
[Collection(ReplicaCollection.Name)]
[Trait("Category", "Replicas")]
public sealed class ReplicaApprovalTests(ReplicaSet set, ITestOutputHelper output)
{
    private const int Clicks = 100;
    private readonly ReplicaSlack slack = new(set);

    [Fact]
    public async Task A_hundred_concurrent_approve_clicks_over_three_replicas_grant_once()
    {
        await set.EnsureRunningAsync();
        await set.SetSandboxAsync(rateLimitPerMinute: 600, latencyMs: 0);
        var token = await NewTokenAsync("approvals");
        var (requestId, messageTs) = await slack.RequestAsync(set.Replicas[0], token);
        await set.ResetCallsAsync();

        // Two approvers, every click its own delivery (trigger id, action_ts, response_url), spread round-robin.
        var replies = Enumerable.Range(0, Clicks).Select(_ => ReplicaSlack.NewResponseId()).ToArray();
        var clock = Stopwatch.StartNew();
        var acks = await Task.WhenAll(Enumerable.Range(0, Clicks).Select(i => ReplicaSlack.SendAsync(
            set.Replicas[i % 3], "/slack/interactions", slack.Approve(i % 2 == 0 ? Boss : Boss2, requestId, messageTs, replies[i]))));
        var acked = clock.Elapsed;
        Assert.All(acks, a => Assert.Equal(HttpStatusCode.OK, a));

        // Every click is answered (approved, or already approved), so no grant can still be on its way afterwards.
        await set.EventuallyAsync(() => Task.FromResult(replies.All(r => slack.PostsTo(r).Count > 0)), TimeSpan.FromSeconds(90),
            $"all {Clicks} clicks answered ({replies.Count(r => slack.PostsTo(r).Count > 0)} so far)");
        var answered = clock.Elapsed;

        var calls = await set.CallsAsync();
        var grantRoute = $"POST /v1/organizations/acme/service-tokens/{token}/access";
        var answers = replies.SelectMany(slack.PostsTo).Select(p => p.ToJsonString()).ToList();
        var request = (await set.Store.GetRequestAsync(requestId, CancellationToken.None))!;
        var grants = await set.Store.ListActiveGrantsOnTokenAsync("acme", token, CancellationToken.None);
        output.WriteLine($"{Clicks} Approve clicks over 3 replicas: acknowledged in {acked.TotalSeconds:0.0} s, all answered in {answered.TotalSeconds:0.0} s; " +
            $"{calls.On(grantRoute)} grant call(s) at the sandbox, {calls.Total} PlanetScale calls in all ({calls.TooManyRequests} answered 429); " +
            $"{answers.Count} answers, {answers.Count(a => a.Contains("already approved", StringComparison.Ordinal))} of them 'already approved'; " +
            $"request {request.State}, {grants.Count} active grant(s)");

        Assert.Equal(1, calls.On(grantRoute));
        Assert.Equal(AccessRequestState.Approved, request.State);
        var grant = Assert.Single(grants);
        Assert.Equal(requestId, grant.RequestId);
        Assert.Equal(request.GrantId, grant.Id);

        // The request message is updated once and the requester told once (both follow the grant, in the background).
        bool Updated(JsonObject u) => (string?)u["ts"] == messageTs && u.ToJsonString().Contains("Approved*", StringComparison.Ordinal);
        bool Told((string Channel, string Ts, JsonObject Body) m) => m.Channel == Alice && m.Body.ToJsonString().Contains(grant.Id, StringComparison.Ordinal);
        await set.EventuallyAsync(() => Task.FromResult(set.Slack.JsonCalls("chat.update").Any(Updated) && set.Slack.PostedMessages.Any(Told)),
            TimeSpan.FromSeconds(30), "the request message updated and the requester told");
        Assert.Single(set.Slack.JsonCalls("chat.update"), Updated);
        Assert.Single(set.Slack.PostedMessages, Told);
        using var api = new SandboxApi(set.Sandbox);
        Assert.Contains("read_branch", (await api.GrantsAsync(token)).Single(g => g.ResourceName == "prod").Accesses);
    }

    [Fact]
    public async Task One_slash_command_delivered_to_two_replicas_runs_and_answers_once()
    {
        await set.EnsureRunningAsync();
        await set.SetSandboxAsync(rateLimitPerMinute: 600, latencyMs: 0);
        var token = await NewTokenAsync("redelivery", holdingReadBranch: true);
        var text = $"service-token show-access {token}";

        // What one run of the command costs at the sandbox, measured on the third replica.
        await set.ResetCallsAsync();
        var control = ReplicaSlack.NewResponseId();
        Assert.Equal(HttpStatusCode.OK, await ReplicaSlack.SendAsync(set.Replicas[2], "/slack/commands", slack.Command(Alice, Ops, text, control)));
        await WaitForAnswerAsync(control);
        var once = OnToken(await set.CallsAsync(), token);

        // Slack re-delivers: the very same signed request (body, timestamp, signature) reaches r1 and r2 at once.
        await set.ResetCallsAsync();
        var reply = ReplicaSlack.NewResponseId();
        var body = slack.Command(Alice, Ops, text, reply);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var acks = await Task.WhenAll(
            ReplicaSlack.SendAsync(set.Replicas[0], "/slack/commands", body, timestamp),
            ReplicaSlack.SendAsync(set.Replicas[1], "/slack/commands", body, timestamp));
        Assert.All(acks, a => Assert.Equal(HttpStatusCode.OK, a));
        await WaitForAnswerAsync(reply);

        // A later command on each of the two is answered after anything either still had queued from the first.
        foreach (var replica in set.Replicas.Take(2))
        {
            var barrier = ReplicaSlack.NewResponseId();
            Assert.Equal(HttpStatusCode.OK, await ReplicaSlack.SendAsync(replica, "/slack/commands", slack.Command(Alice, Ops, "service-token list", barrier)));
            await WaitForAnswerAsync(barrier);
        }

        var twice = OnToken(await set.CallsAsync(), token);
        output.WriteLine($"one slash command delivered to r1 and r2: {slack.PostsTo(reply).Count} response_url post(s); {twice} PlanetScale call(s) on the token " +
            $"(one run costs {once})");
        Assert.Single(slack.PostsTo(reply));
        Assert.Contains("prod", slack.PostsTo(reply)[0].ToJsonString());
        Assert.Equal(once, twice);
    }

    private static long OnToken(SandboxCalls calls, string token) =>
        calls.ByRoute.Where(r => r.Key.Contains($"/service-tokens/{token}", StringComparison.Ordinal)).Sum(r => r.Value);

    private Task WaitForAnswerAsync(string responseId) =>
        set.EventuallyAsync(() => Task.FromResult(slack.PostsTo(responseId).Count > 0), TimeSpan.FromSeconds(30), $"an answer at response_url {responseId}");

    private async Task<string> NewTokenAsync(string name, bool holdingReadBranch = false)
    {
        using var api = new SandboxApi(set.Sandbox);
        var token = await api.CreateTokenAsync($"{name}-{ReplicaSlack.Next()}");
        if (holdingReadBranch)
        {
            using var admin = set.Admin();
            using var added = await admin.PostAsJsonAsync($"/v1/organizations/acme/service-tokens/{token}/access", new { database = "prod", access = new[] { "read_branch" } });
            added.EnsureSuccessStatusCode();
        }

        return token;
    }
}
