using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Bot.Slack.Interactions;
using PscaleBot.Bot.Tests.Slack.Fakes;

namespace PscaleBot.Bot.Tests.Slack;

public sealed class SlackHttpEndpointTests : IAsyncLifetime
{
    private FakeSlackServer slack = null!;
    private SlackTestHost host = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        slack = await FakeSlackServer.StartAsync();
        host = new SlackTestHost(slack, configure: s => s.AddSingleton<ActionLog>().AddSlackBlockActionHandler<RecordingActionHandler>());
        client = host.CreateClient();
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await host.DisposeAsync();
        await slack.DisposeAsync();
    }

    private string CommandBody(string text, string channelId = "C0OPS", string channelName = "ops", string? triggerId = null, string responseId = "r1") =>
        SlackRequestBodies.Command(slack, text, triggerId, channelId, channelName, responseId);

    private Task<HttpResponseMessage> PostCommand(string body) => client.SendAsync(SlackSigner.SignedPost("/slack/commands", body));

    [Fact]
    public async Task A_read_is_acknowledged_empty_and_its_table_posted_privately_to_the_response_url()
    {
        var response = await PostCommand(CommandBody("service-token show-access abc123def456"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        await Eventually.TrueAsync(() => slack.ResponseUrlPosts.Count == 1, "the result posted to response_url");
        var (id, body) = slack.ResponseUrlPosts.Single();
        Assert.Equal("r1", id);
        Assert.Equal("ephemeral", (string?)body["response_type"]);
        Assert.False((bool)body["replace_original"]!);
        Assert.Contains("\"type\":\"table\"", body.Raw());
        Assert.Contains("Access for token abc123def456", (string?)body["text"]);

        var request = Assert.Single(host.Pipeline.Prepared);
        Assert.Equal("slack:user:U0ALICE", request.Caller.UserId);
        Assert.Equal("slack:team:T0TEAM", request.Caller.TenantId);
        Assert.Equal(["slack:channel:C0OPS"], request.Place.Ids);
        Assert.Equal("service-token show-access abc123def456", request.Text);
    }

    [Fact]
    public async Task User_groups_come_from_slack_and_are_cached()
    {
        slack.UsergroupsJson = """{"ok":true,"usergroups":[{"id":"S0ONCALL","handle":"oncall","users":["U0ALICE","U0BOB"],"date_delete":0},{"id":"S0OLD","users":["U0ALICE"],"date_delete":1700000000}]}""";
        await PostCommand(CommandBody("denied"));
        await PostCommand(CommandBody("denied"));

        Assert.All(host.Pipeline.Prepared, r => Assert.Equal(["slack:usergroup:S0ONCALL"], r.Caller.GroupIds));
        var call = Assert.Single(slack.Calls("usergroups.list"));
        Assert.Equal("Bearer xoxb-test-bot-token", call.Authorization);
        Assert.Contains("include_users=true", call.Body);
    }

    [Fact]
    public async Task A_public_read_is_posted_in_channel()
    {
        await PostCommand(CommandBody("service-token list --public"));
        await Eventually.TrueAsync(() => slack.ResponseUrlPosts.Count == 1, "the result");
        Assert.Equal("in_channel", (string?)slack.ResponseUrlPosts.Single().Body["response_type"]);
    }

    [Fact]
    public async Task A_denial_is_answered_in_the_acknowledgement_privately_and_nothing_runs()
    {
        var response = await PostCommand(CommandBody("denied"));

        var ack = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("ephemeral", (string?)ack["response_type"]);
        Assert.Contains("You may not run show-access here.", ack.Raw());
        Assert.Empty(host.Pipeline.Executed);
        Assert.Empty(slack.ResponseUrlPosts);
    }

    [Fact]
    public async Task A_created_token_secret_only_goes_to_the_requester_privately()
    {
        await PostCommand(CommandBody("service-token create --public"));
        await Eventually.TrueAsync(() => slack.ResponseUrlPosts.Count == 1, "the new token");

        var body = slack.ResponseUrlPosts.Single().Body;
        Assert.Equal("ephemeral", (string?)body["response_type"]);
        Assert.Contains("pscale_tkn_SUPERSECRET", body.Raw());
        Assert.DoesNotContain(slack.ApiCalls, c => c.Body.Contains("pscale_tkn_"));
    }

    [Fact]
    public async Task When_no_private_reply_works_the_secret_is_not_posted_anywhere()
    {
        slack.ResponseUrlStatus = 404;
        slack.Script("chat.postEphemeral", new ScriptedReply(200, """{"ok":false,"error":"channel_not_found"}"""), new ScriptedReply(200, """{"ok":false,"error":"channel_not_found"}"""));
        await PostCommand(CommandBody("service-token create"));

        await Eventually.TrueAsync(() => slack.Calls("chat.postEphemeral").Count() == 2, "the private fallback and the notice");
        var secretAttempt = slack.ResponseUrlPosts.First().Body;
        Assert.Equal("ephemeral", (string?)secretAttempt["response_type"]);
        // The undelivered-secret notice may also arrive as a DM (chat.postMessage to the user); it never holds the secret.
        Assert.All(slack.Calls("chat.postMessage"), call => Assert.DoesNotContain("pscale_tkn_", call.Body));
        Assert.All(slack.ResponseUrlPosts.Skip(1), p => Assert.DoesNotContain("pscale_tkn_", p.Body.Raw()));
        Assert.Contains("could not be delivered to you privately", slack.ResponseUrlPosts.Last().Body.Raw());
    }

    [Fact]
    public async Task A_change_is_answered_privately_and_announced_in_the_channel()
    {
        await PostCommand(CommandBody("service-token delete abc123def456"));
        await Eventually.TrueAsync(() => slack.ResponseUrlPosts.Count == 2, "answer and announcement");

        var posts = slack.ResponseUrlPosts.Select(p => p.Body).ToList();
        Assert.Equal("ephemeral", (string?)posts[0]["response_type"]);
        Assert.Equal("in_channel", (string?)posts[1]["response_type"]);
        Assert.Contains("alice deleted token abc123def456 &lt;!channel&gt;", posts[1].Raw());
    }

    [Fact]
    public async Task A_retried_delivery_of_the_same_command_runs_once()
    {
        var body = CommandBody("service-token delete abc123def456", triggerId: "same.trigger");
        await PostCommand(body);
        var retry = SlackSigner.SignedPost("/slack/commands", body);
        retry.Headers.Add("X-Slack-Retry-Num", "1");
        retry.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
        var second = await client.SendAsync(retry);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        await Eventually.TrueAsync(() => slack.ResponseUrlPosts.Count == 2, "the one run's replies");
        Assert.Single(host.Pipeline.Executed);
        Assert.Single(host.Pipeline.Prepared);
    }

    [Fact]
    public async Task A_double_submitted_change_runs_once_and_the_duplicate_is_told_why()
    {
        await PostCommand(CommandBody("service-token delete abc123def456"));
        var second = await PostCommand(CommandBody("service-token  delete abc123def456"));

        Assert.Contains("duplicate", await second.Content.ReadAsStringAsync());
        await Eventually.TrueAsync(() => slack.ResponseUrlPosts.Count == 2, "the one run's replies");
        Assert.Single(host.Pipeline.Executed);
    }

    [Fact]
    public async Task Repeated_reads_are_not_taken_for_duplicates()
    {
        await PostCommand(CommandBody("service-token list"));
        await PostCommand(CommandBody("service-token list"));
        await Eventually.TrueAsync(() => host.Pipeline.Executed.Count == 2, "both reads");
    }

    [Fact]
    public async Task Help_is_answered_in_the_acknowledgement_with_escaped_text()
    {
        var response = await PostCommand(CommandBody("help"));
        var ack = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains("Available Commands", ack.Raw());
        Assert.Contains("List tokens &lt;all&gt;", ack.Raw());
    }

    [Fact]
    public async Task A_pasted_secret_gets_a_separate_private_warning()
    {
        var response = await PostCommand(CommandBody("help pscale_tkn_abc"));
        Assert.Contains("token secret", await response.Content.ReadAsStringAsync());
        await Eventually.TrueAsync(() => slack.ResponseUrlPosts.Count == 1, "the help after the warning");
        Assert.Equal("ephemeral", (string?)slack.ResponseUrlPosts.Single().Body["response_type"]);
    }

    [Fact]
    public async Task An_org_with_500_tokens_is_answered_within_five_posts_that_slack_accepts()
    {
        host.Pipeline.TokenCount = 500;
        await PostCommand(CommandBody("service-token list"));
        await Eventually.TrueAsync(() => host.Pipeline.Executed.Count == 1 && slack.ResponseUrlPosts.Count >= 1, "the listing");
        await Eventually.TrueAsync(() => slack.ResponseUrlPosts.Count == ExpectedPosts(), "every part of the listing");

        var posts = slack.ResponseUrlPosts.Select(p => p.Body).ToList();
        Assert.InRange(posts.Count, 2, 5);
        foreach (var post in posts)
        {
            var message = new PscaleBot.Bot.Slack.Rendering.SlackMessage((string)post["text"]!, SlackWireJson.Blocks(post["blocks"]!));
            Assert.Empty(PscaleBot.Bot.Slack.Rendering.SlackMessageLimits.Violations(message));
        }

        var all = string.Concat(posts.Select(p => p.Raw()));
        Assert.Contains("tok000000000", all);

        int ExpectedPosts() => new PscaleBot.Bot.Slack.Rendering.SlackBlockKitRenderer(new FakeTextRenderer()).Render(
            [new PscaleBot.Commands.Results.TokenTable("acme", PscaleBot.Commands.Results.TokenTableKind.List,
                [.. Enumerable.Range(0, 500).Select(i => new PscaleBot.Commands.PlanetScale.ServiceToken($"tok{i:000000000}", $"name-{i}", DateTimeOffset.UnixEpoch, null, null))])],
            PscaleBot.Commands.Grammar.OutputFormat.Human,
            new PscaleBot.Bot.Slack.Rendering.SlackRenderContext("U0ALICE", DateTimeOffset.UnixEpoch, PscaleBot.Bot.Slack.SlackTableStyle.Table),
            5).Count;
    }

    [Fact]
    public async Task A_response_url_on_a_foreign_host_is_never_contacted()
    {
        var body = CommandBody("service-token list").Replace(Uri.EscapeDataString(slack.ResponseUrl("r1")), Uri.EscapeDataString($"http://localhost:{slack.BaseUri.Port}/response/evil"));
        await PostCommand(body);

        await Eventually.TrueAsync(() => slack.Calls("chat.postEphemeral").Any(), "the Web API fallback");
        Assert.Empty(slack.ResponseUrlPosts);
        Assert.Contains("\"user\":\"U0ALICE\"", slack.Calls("chat.postEphemeral").Single().Body);
    }

    [Fact]
    public async Task An_unexpected_failure_is_answered_with_a_sentence_and_no_internals()
    {
        var response = await PostCommand(CommandBody("explode"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ack = await response.Content.ReadAsStringAsync();
        Assert.Contains("Something went wrong", ack);
        Assert.DoesNotContain("internal detail", ack);
        Assert.DoesNotContain("pscale_tkn_", ack);
    }

    [Fact]
    public async Task Oversized_bodies_are_refused_before_anything_is_parsed()
    {
        var response = await PostCommand(CommandBody("service-token list " + new string('x', 1024 * 1024)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(host.Pipeline.Prepared);
    }

    public static TheoryData<string, Func<HttpRequestMessage, HttpRequestMessage>> BadSignatures() => new()
    {
        { "forged", r => { r.Headers.Remove("X-Slack-Signature"); r.Headers.Add("X-Slack-Signature", SlackSigner.Sign("wrong-secret", long.Parse(r.Headers.GetValues("X-Slack-Request-Timestamp").Single()), "x")); return r; } },
        { "missing signature", r => { r.Headers.Remove("X-Slack-Signature"); return r; } },
        { "missing timestamp", r => { r.Headers.Remove("X-Slack-Request-Timestamp"); return r; } },
        { "malformed", r => { r.Headers.Remove("X-Slack-Signature"); r.Headers.Add("X-Slack-Signature", "v0=nothex"); return r; } },
    };

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public async Task Badly_signed_commands_get_401_and_nothing_runs(string why, Func<HttpRequestMessage, HttpRequestMessage> spoil)
    {
        var response = await client.SendAsync(spoil(SlackSigner.SignedPost("/slack/commands", CommandBody("service-token delete abc"))));

        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, why);
        Assert.Empty(host.Pipeline.Prepared);
    }

    [Fact]
    public async Task A_stale_but_correctly_signed_command_gets_401()
    {
        var stale = DateTimeOffset.UtcNow.AddMinutes(-6).ToUnixTimeSeconds();
        var response = await client.SendAsync(SlackSigner.SignedPost("/slack/commands", CommandBody("service-token list"), stale));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(host.Pipeline.Prepared);
    }

    [Fact]
    public async Task A_body_changed_after_signing_gets_401()
    {
        var request = SlackSigner.SignedPost("/slack/commands", CommandBody("service-token list"));
        request.Content = new StringContent(CommandBody("service-token delete abc"), System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Ssl_checks_are_answered_without_running_anything()
    {
        var response = await client.PostAsync("/slack/commands", new FormUrlEncodedContent([new("ssl_check", "1"), new("token", "x")]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(host.Pipeline.Prepared);
    }

    [Fact]
    public async Task Button_clicks_reach_the_handler_for_their_prefix_once_with_the_clickers_identity()
    {
        var body = SlackRequestBodies.Approve(slack, "req_42", "1700000000.000100", "1700000001.1", "a1");
        var first = await client.SendAsync(SlackSigner.SignedPost("/slack/interactions", body));
        var second = await client.SendAsync(SlackSigner.SignedPost("/slack/interactions", body));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var recorder = host.Services.GetRequiredService<ActionLog>();
        await Eventually.TrueAsync(() => recorder.Actions.Count == 1, "the click handled");
        await Task.Delay(200);
        var action = Assert.Single(recorder.Actions);
        Assert.Equal("req_42", action.Value);
        Assert.Equal("slack:user:U0BOB", action.Caller.UserId);
        Assert.Equal("slack:channel:C0APPROVERS", action.Place!.PrimaryId);
        Assert.Equal("1700000000.000100", action.MessageTs);
    }

    [Fact]
    public async Task Unsigned_interactions_get_401()
    {
        var response = await client.PostAsync("/slack/interactions", new FormUrlEncodedContent([new("payload", "{\"type\":\"block_actions\"}")]));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}

public sealed class ActionLog
{
    public System.Collections.Concurrent.ConcurrentQueue<SlackBlockAction> Actions { get; } = new();
}

public sealed class RecordingActionHandler(IServiceProvider services) : ISlackBlockActionHandler
{
    public string ActionIdPrefix => "access_approve:";

    public Task HandleAsync(SlackBlockAction action, CancellationToken cancellationToken)
    {
        services.GetRequiredService<ActionLog>().Actions.Enqueue(action);
        return Task.CompletedTask;
    }
}
