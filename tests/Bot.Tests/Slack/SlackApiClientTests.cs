using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using PscaleBot.Bot.Slack;
using PscaleBot.Bot.Slack.Api;
using PscaleBot.Bot.Slack.Identity;
using PscaleBot.Bot.Tests.Slack.Fakes;
using PscaleBot.TestSupport.Time;

namespace PscaleBot.Bot.Tests.Slack;

public sealed class SlackApiClientTests : IAsyncLifetime
{
    private FakeSlackServer slack = null!;
    private ServiceProvider services = null!;
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    public async Task InitializeAsync()
    {
        slack = await FakeSlackServer.StartAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = "xoxb-bot",
            ["Slack:AppToken"] = "xapp-app",
            ["Slack:ApiBaseUrl"] = slack.ApiBase.ToString(),
            ["Slack:MaxRateLimitRetries"] = "2",
        });
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.AddSlack();
        services = builder.Services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await FakeClockDisposal.DisposeAsync(clock, services.DisposeAsync);
        await slack.DisposeAsync();
    }

    private SlackApiClient Client => services.GetRequiredService<SlackApiClient>();

    [Fact]
    public async Task Ok_false_becomes_a_typed_error_carrying_slacks_code_and_no_token()
    {
        slack.Script("chat.postMessage", new ScriptedReply(200, """{"ok":false,"error":"channel_not_found"}"""));
        var error = await Assert.ThrowsAsync<SlackApiException>(() => Client.PostMessageAsync("C1", "hi", null, CancellationToken.None));
        Assert.Equal("chat.postMessage", error.Method);
        Assert.Equal("channel_not_found", error.Error);
        Assert.False(error.IsUnrecoverable);
        Assert.DoesNotContain("xoxb", error.ToString());
    }

    [Theory]
    [InlineData("invalid_auth")]
    [InlineData("not_authed")]
    [InlineData("account_inactive")]
    public void Auth_errors_are_unrecoverable(string code) => Assert.True(new SlackApiException("m", code).IsUnrecoverable);

    [Fact]
    public async Task Write_methods_send_json_with_the_bot_token()
    {
        await Client.PostEphemeralAsync("C1", "U1", "hello <b>", [], CancellationToken.None);
        var call = Assert.Single(slack.Calls("chat.postEphemeral"));
        Assert.Equal("Bearer xoxb-bot", call.Authorization);
        Assert.StartsWith("application/json", call.ContentType);
        Assert.Contains("\"channel\":\"C1\"", call.Body);
        Assert.Contains("\"user\":\"U1\"", call.Body);
        Assert.Contains("\"blocks\":[]", call.Body);
    }

    [Fact]
    public async Task Read_methods_send_form_fields()
    {
        slack.Script("users.info", new ScriptedReply(200, """{"ok":true,"user":{"id":"U1","team_id":"T1","name":"alice","profile":{"display_name":"Alice"}}}"""));
        var user = await Client.GetUserAsync("U1", CancellationToken.None);
        Assert.Equal("Alice", user.Profile!.DisplayName);
        Assert.Equal("user=U1", Assert.Single(slack.Calls("users.info")).Body);

        slack.Script("conversations.info", new ScriptedReply(200, """{"ok":true,"channel":{"id":"G1","name":"mpdm-a","is_mpim":true}}"""));
        Assert.True((await Client.GetConversationAsync("G1", CancellationToken.None)).IsMpim);

        slack.Script("usergroups.users.list", new ScriptedReply(200, """{"ok":true,"users":["U1","W2"]}"""));
        Assert.Equal(["U1", "W2"], await Client.ListUsergroupUsersAsync("S1", CancellationToken.None));
    }

    [Fact]
    public async Task Apps_connections_open_uses_the_app_token()
    {
        var url = await Client.OpenSocketModeConnectionAsync(CancellationToken.None);
        Assert.Equal("ws", url.Scheme);
        Assert.Equal("Bearer xapp-app", Assert.Single(slack.Calls("apps.connections.open")).Authorization);
    }

    [Fact]
    public async Task A_429_is_retried_after_retry_after_and_then_succeeds()
    {
        slack.Script("chat.update", new ScriptedReply(429, """{"ok":false,"error":"ratelimited"}""", RetryAfter: "0"), new ScriptedReply(200, """{"ok":true,"ts":"1.1"}"""));
        await Client.UpdateAsync("C1", "1.1", "new", null, CancellationToken.None);
        var calls = slack.Calls("chat.update").ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal(calls[0].Body, calls[1].Body);
    }

    [Fact]
    public async Task Retries_are_bounded_and_then_surface_as_ratelimited()
    {
        var limited = new ScriptedReply(429, """{"ok":false,"error":"ratelimited"}""", RetryAfter: "0");
        slack.Script("chat.postMessage", limited, limited, limited, limited);
        var error = await Assert.ThrowsAsync<SlackApiException>(() => Client.PostMessageAsync("C1", "x", null, CancellationToken.None));
        Assert.True(error.IsRateLimited);
        Assert.Equal(3, slack.Calls("chat.postMessage").Count());
    }

    [Fact]
    public async Task A_retry_after_longer_than_allowed_fails_at_once()
    {
        slack.Script("chat.postMessage", new ScriptedReply(429, """{"ok":false,"error":"ratelimited"}""", RetryAfter: "3600"));
        var error = await Assert.ThrowsAsync<SlackApiException>(() => Client.PostMessageAsync("C1", "x", null, CancellationToken.None));
        Assert.Equal(TimeSpan.FromHours(1), error.RetryAfter);
        Assert.Single(slack.Calls("chat.postMessage"));
    }

    [Fact]
    public async Task The_retry_waits_what_retry_after_says_on_the_injected_clock()
    {
        var inner = new CountingHandler();
        using var invoker = new HttpMessageInvoker(SlackRetryPipelines.Handler(SlackRetryRules.WebApi(new SlackOptions()), clock, inner));
        var pending = invoker.SendAsync(new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1/api/chat.postMessage") { Content = new StringContent("body") }, CancellationToken.None);

        Assert.Equal(1, inner.Calls);
        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.False(pending.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        var response = await pending;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, inner.Calls);
        Assert.Equal(["body", "body"], inner.Bodies);
    }

    [Fact]
    public async Task Group_membership_is_cached_until_it_expires()
    {
        slack.UsergroupsJson = """{"ok":true,"usergroups":[{"id":"S1","users":["U1"]},{"id":"S2","users":["U1","U2"]}]}""";
        var directory = services.GetRequiredService<ISlackUserGroupDirectory>();

        Assert.Equal(["S1", "S2"], (await directory.GroupsOfAsync("T1", "U1", CancellationToken.None)).Groups);
        Assert.Equal(["S2"], (await directory.GroupsOfAsync("T1", "U2", CancellationToken.None)).Groups);
        Assert.Empty((await directory.GroupsOfAsync("T1", "U3", CancellationToken.None)).Groups);
        Assert.Single(slack.Calls("usergroups.list"));

        clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(["S1", "S2"], (await directory.GroupsOfAsync("T1", "U1", CancellationToken.None)).Groups);
        Assert.Equal(2, slack.Calls("usergroups.list").Count());
    }

    [Fact]
    public async Task A_failed_group_lookup_gives_no_groups_rather_than_failing()
    {
        slack.Script("usergroups.list", new ScriptedReply(200, """{"ok":false,"error":"plan_upgrade_required"}"""));
        var directory = services.GetRequiredService<ISlackUserGroupDirectory>();
        var membership = await directory.GroupsOfAsync("T1", "U1", CancellationToken.None);
        Assert.False(membership.Known);
        Assert.Empty(membership.Groups);
    }

    [Fact]
    public async Task A_burst_during_a_slow_refresh_gets_the_last_known_groups_within_its_budget_and_shares_one_call()
    {
        slack.UsergroupsJson = """{"ok":true,"usergroups":[{"id":"S1","users":["U1","U2","U3"]}]}""";
        var directory = services.GetRequiredService<ISlackUserGroupDirectory>();
        Assert.Equal(["S1"], (await directory.GroupsOfAsync("T1", "U1", CancellationToken.None)).Groups);

        // The copy has expired and Slack now takes longer than the commands' budget.
        clock.Advance(TimeSpan.FromMinutes(6));
        slack.UsergroupsDelay = TimeSpan.FromSeconds(3);
        var burst = Enumerable.Range(0, 50)
            .Select(i => directory.GroupsWithinAsync("T1", $"U{1 + (i % 3)}", TimeSpan.FromMilliseconds(1500), clock, CancellationToken.None))
            .ToList();
        await Eventually.TrueAsync(() => slack.Calls("usergroups.list").Count() == 2, "the refresh reaching Slack");
        clock.Advance(TimeSpan.FromMilliseconds(1500));

        foreach (var membership in await Task.WhenAll(burst))
        {
            Assert.True(membership.Known);
            Assert.Equal(["S1"], membership.Groups);
        }

        Assert.Equal(2, slack.Calls("usergroups.list").Count());
    }

    [Fact]
    public async Task A_failed_refresh_keeps_the_last_known_groups_and_tries_again_after_the_backoff()
    {
        slack.UsergroupsJson = """{"ok":true,"usergroups":[{"id":"S1","users":["U1"]}]}""";
        var directory = services.GetRequiredService<ISlackUserGroupDirectory>();
        Assert.Equal(["S1"], (await directory.GroupsOfAsync("T1", "U1", CancellationToken.None)).Groups);

        clock.Advance(TimeSpan.FromMinutes(6));
        slack.Script("usergroups.list", new ScriptedReply(200, """{"ok":false,"error":"internal_error"}"""));
        Assert.Equal(["S1"], (await directory.GroupsOfAsync("T1", "U1", CancellationToken.None)).Groups);
        Assert.Equal(["S1"], (await directory.GroupsOfAsync("T1", "U1", CancellationToken.None)).Groups);
        Assert.Equal(2, slack.Calls("usergroups.list").Count());

        clock.Advance(TimeSpan.FromSeconds(31));
        slack.UsergroupsJson = """{"ok":true,"usergroups":[{"id":"S2","users":["U1"]}]}""";
        Assert.Equal(["S2"], (await directory.GroupsOfAsync("T1", "U1", CancellationToken.None)).Groups);
        Assert.Equal(3, slack.Calls("usergroups.list").Count());
    }

    [Fact]
    public async Task Workspaces_are_cached_apart()
    {
        slack.UsergroupsJson = """{"ok":true,"usergroups":[{"id":"S1","users":["U1"]}]}""";
        var directory = services.GetRequiredService<ISlackUserGroupDirectory>();

        Assert.Equal(["S1"], (await directory.GroupsOfAsync("T1", "U1", CancellationToken.None)).Groups);
        Assert.Equal(["S1"], (await directory.GroupsOfAsync("T2", "U1", CancellationToken.None)).Groups);

        Assert.Equal(["team_id=T1", "team_id=T2"], slack.Calls("usergroups.list").Select(c => c.Body.Split('&').Single(p => p.StartsWith("team_id=", StringComparison.Ordinal))));
    }

    private sealed class CountingHandler : HttpMessageHandler
    {
        public int Calls;
        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            Bodies.Add(await request.Content!.ReadAsStringAsync(cancellationToken));
            var response = new HttpResponseMessage(Calls == 1 ? HttpStatusCode.TooManyRequests : HttpStatusCode.OK);
            if (Calls == 1)
            {
                response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
            }

            return response;
        }
    }
}
