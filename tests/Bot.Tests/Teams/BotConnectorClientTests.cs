using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PscaleBot.Bot.Teams;
using PscaleBot.Bot.Teams.Connector;
using PscaleBot.Bot.Teams.Protocol;
using PscaleBot.Bot.Tests.Teams.Support;

namespace PscaleBot.Bot.Tests.Teams;

public sealed class BotConnectorClientTests
{
    private const string ServiceUrl = "https://smba.trafficmanager.net/amer/";

    private static readonly ConversationReference Reference = new(ServiceUrl, "19:abc@thread.tacv2;messageid=42", "channel", "42",
        new ChannelAccount { Id = ActivityJson.BotId, Name = "pscale" }, new ChannelAccount { Id = "29:user", Name = "Alice" }, LocalOpenIdServer.TenantId);

    private sealed class ScriptedHandler(params HttpStatusCode[] statuses) : HttpMessageHandler
    {
        public TimeSpan RetryAfter { get; init; } = TimeSpan.Zero;

        public TimeProvider Clock { get; set; } = TimeProvider.System;

        public TaskCompletionSource FirstCall { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<DateTimeOffset> Times { get; } = [];

        public List<HttpRequestMessage> Requests { get; } = [];

        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            Times.Add(Clock.GetUtcNow());
            Bodies.Add(request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken));
            var status = statuses[Math.Min(Requests.Count - 1, statuses.Length - 1)];
            var response = new HttpResponseMessage(status) { Content = new StringContent("{\"id\":\"new-activity\"}") };
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(RetryAfter);
            FirstCall.TrySetResult();
            return response;
        }
    }

    // Built as the bot builds it, so the resilience pipeline (the retries) is the production one.
    private static IBotConnectorClient Client(HttpMessageHandler handler, TeamsOptions? options = null, FakeTimeProvider? clock = null)
    {
        options ??= new TeamsOptions { AppId = LocalOpenIdServer.AppId };
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(clock ?? new FakeTimeProvider());
        services.AddSingleton<IOptionsMonitor<TeamsOptions>>(new StaticMonitor(options));
        services.AddSingleton<ServiceUrlPolicy>();
        services.AddSingleton<IBotConnectorTokenSource, FakeTokenSource>();
        services.AddBotConnectorClient().ConfigurePrimaryHttpMessageHandler(() => handler);
        return services.BuildServiceProvider().GetRequiredService<IBotConnectorClient>();
    }

    [Fact]
    public async Task A_reply_is_posted_to_the_escaped_reply_url_with_a_bearer_token()
    {
        var handler = new ScriptedHandler(HttpStatusCode.Created);

        var id = await Client(handler).SendAsync(Reference, new OutgoingActivity { Text = "hi" }, default);

        Assert.Equal("new-activity", id);
        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://smba.trafficmanager.net/amer/v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D42/activities/42", request.RequestUri!.AbsoluteUri);
        Assert.Equal("Bearer " + FakeTokenSource.Token, request.Headers.Authorization!.ToString());
        var body = JsonNode.Parse(handler.Bodies[0])!;
        Assert.Equal("42", body["replyToId"]!.GetValue<string>());
        Assert.Equal("29:user", body["recipient"]!["id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task Refusals_before_processing_are_retried(HttpStatusCode refusal)
    {
        var handler = new ScriptedHandler(refusal, HttpStatusCode.Created);

        await Client(handler).SendAsync(Reference, new OutgoingActivity { Text = "hi" }, default);

        Assert.Equal(2, handler.Requests.Count);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task A_post_is_not_retried_after_an_ambiguous_failure_so_no_message_is_duplicated(HttpStatusCode failure)
    {
        var handler = new ScriptedHandler(failure, HttpStatusCode.Created);

        var error = await Assert.ThrowsAsync<BotConnectorException>(() => Client(handler).SendAsync(Reference, new OutgoingActivity { Text = "hi" }, default));

        Assert.Single(handler.Requests);
        Assert.Equal((int)failure, error.StatusCode);
        Assert.DoesNotContain(FakeTokenSource.Token, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retries_are_bounded()
    {
        var handler = new ScriptedHandler(HttpStatusCode.TooManyRequests);

        await Assert.ThrowsAsync<BotConnectorException>(() => Client(handler).SendAsync(Reference, new OutgoingActivity { Text = "hi" }, default));

        Assert.Equal(BotConnectorClient.MaxAttempts, handler.Requests.Count);
    }

    [Fact]
    public async Task An_update_is_a_put_and_is_retried_after_a_server_error()
    {
        var handler = new ScriptedHandler(HttpStatusCode.BadGateway, HttpStatusCode.OK);

        await Client(handler).UpdateAsync(Reference, "card-1", new OutgoingActivity { Text = "done" }, default);

        Assert.Equal(2, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.Equal(HttpMethod.Put, r.Method));
        Assert.EndsWith("/activities/card-1", handler.Requests[0].RequestUri!.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("card-1", JsonNode.Parse(handler.Bodies[0])!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_post_whose_connection_never_opened_is_retried()
    {
        var clock = new FakeTimeProvider();
        var handler = new ThrowingThenCreatedHandler(new HttpRequestException(HttpRequestError.ConnectionError, "connection refused"));

        var pending = Client(handler, clock: clock).SendAsync(Reference, new OutgoingActivity { Text = "hi" }, default);
        // The backoff runs on the fake clock; move it until the retry has gone out.
        while (!pending.IsCompleted && clock.GetUtcNow() < clock.Start + TimeSpan.FromSeconds(60))
        {
            clock.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Yield();
        }

        var id = await pending;

        Assert.Equal("new-activity", id);
        Assert.Equal(2, handler.Calls);
    }

    [Fact]
    public async Task A_post_broken_after_the_connection_opened_is_not_retried()
    {
        var handler = new ThrowingThenCreatedHandler(new HttpRequestException(HttpRequestError.ResponseEnded, "response ended"));

        var error = await Assert.ThrowsAsync<BotConnectorException>(() => Client(handler).SendAsync(Reference, new OutgoingActivity { Text = "hi" }, default));

        Assert.Equal(1, handler.Calls);
        Assert.Contains("could not be reached", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_that_reached_the_connector_and_timed_out_is_not_resent()
    {
        var clock = new FakeTimeProvider();
        var handler = new HangingHandler();
        var pending = Client(handler, clock: clock).SendAsync(Reference, new OutgoingActivity { Text = "hi" }, default);
        await handler.FirstCall.Task;

        clock.Advance(BotConnectorHttp.Timeouts.Attempt);

        var error = await Assert.ThrowsAsync<BotConnectorException>(() => pending);
        Assert.Equal(1, handler.Calls);
        Assert.Contains("in time", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_connector_allows_ends_the_call_instead_of_being_cut_short()
    {
        var handler = new ScriptedHandler(HttpStatusCode.TooManyRequests, HttpStatusCode.Created) { RetryAfter = TimeSpan.FromMinutes(5) };

        var error = await Assert.ThrowsAsync<BotConnectorException>(() => Client(handler).SendAsync(Reference, new OutgoingActivity { Text = "hi" }, default));

        Assert.Single(handler.Requests);
        Assert.Equal(429, error.StatusCode);
    }

    [Fact]
    public async Task A_refusal_is_retried_after_the_retry_after_on_the_injected_clock()
    {
        var clock = new FakeTimeProvider();
        var handler = new ScriptedHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.Created) { RetryAfter = TimeSpan.FromSeconds(4), Clock = clock };
        var pending = Client(handler, clock: clock).SendAsync(Reference, new OutgoingActivity { Text = "hi" }, default);
        await handler.FirstCall.Task;
        while (clock.GetUtcNow() < clock.Start + TimeSpan.FromSeconds(3))
        {
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Single(handler.Requests);
        Assert.False(pending.IsCompleted);
        while (!pending.IsCompleted && clock.GetUtcNow() < clock.Start + TimeSpan.FromSeconds(60))
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }

        Assert.Equal("new-activity", await pending);
        Assert.Equal(2, handler.Requests.Count);
        Assert.True(handler.Times[1] - handler.Times[0] >= TimeSpan.FromSeconds(4));
    }

    [Theory]
    [InlineData("http://smba.trafficmanager.net/amer/")]
    [InlineData("https://evil.example.com/")]
    [InlineData("https://smba.trafficmanager.net.evil.example/")]
    [InlineData("https://user:pw@smba.trafficmanager.net/")]
    [InlineData("http://127.0.0.1:5000/")]
    [InlineData("not a url")]
    public async Task No_request_and_no_token_go_to_a_service_url_outside_the_allow_list(string serviceUrl)
    {
        var handler = new ScriptedHandler(HttpStatusCode.Created);

        await Assert.ThrowsAsync<BotConnectorException>(() =>
            Client(handler).SendAsync(Reference with { ServiceUrl = serviceUrl }, new OutgoingActivity { Text = "hi" }, default));

        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData("https://smba.trafficmanager.net/emea/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/", true)]
    [InlineData("https://europe.botframework.com/", true)]
    [InlineData("https://botframework.com.evil.example/", false)]
    [InlineData("https://evilbotframework.com/", false)]
    public void The_default_host_allow_list_matches_real_connector_hosts_only(string serviceUrl, bool allowed) =>
        Assert.Equal(allowed, new ServiceUrlPolicy(new StaticMonitor(new TeamsOptions())).IsAllowed(serviceUrl, out _));

    [Fact]
    public async Task In_playground_mode_loopback_replies_carry_no_token()
    {
        var handler = new ScriptedHandler(HttpStatusCode.Created);
        var options = new TeamsOptions { AllowUnauthenticatedLoopback = true, AllowedTenants = ["t"] };

        await Client(handler, options).SendAsync(Reference with { ServiceUrl = "http://localhost:56150/_connector" }, new OutgoingActivity { Text = "hi" }, default);

        var request = Assert.Single(handler.Requests);
        Assert.Null(request.Headers.Authorization);
        Assert.StartsWith("http://localhost:56150/_connector/v3/conversations/", request.RequestUri!.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creating_a_personal_conversation_names_the_user_and_tenant()
    {
        var handler = new ScriptedHandler(HttpStatusCode.Created);

        var id = await Client(handler).CreatePersonalConversationAsync(Reference, default);

        Assert.Equal("new-activity", id);
        var body = JsonNode.Parse(handler.Bodies[0])!;
        Assert.False(body["isGroup"]!.GetValue<bool>());
        Assert.Equal("29:user", body["members"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(LocalOpenIdServer.TenantId, body["tenantId"]!.GetValue<string>());
        Assert.Equal("https://smba.trafficmanager.net/amer/v3/conversations", handler.Requests[0].RequestUri!.AbsoluteUri);
    }
}

internal sealed class ThrowingThenCreatedHandler(Exception first) : HttpMessageHandler
{
    public int Calls;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        ++Calls == 1
            ? Task.FromException<HttpResponseMessage>(first)
            : Task.FromResult(new HttpResponseMessage(HttpStatusCode.Created) { Content = new StringContent("{\"id\":\"new-activity\"}") });
}

/// <summary>Never answers: the request reached the server, which is still working on it.</summary>
internal sealed class HangingHandler : HttpMessageHandler
{
    public int Calls;

    public TaskCompletionSource FirstCall { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        FirstCall.TrySetResult();
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new InvalidOperationException("unreachable");
    }
}

internal sealed class StaticMonitor(TeamsOptions value) : IOptionsMonitor<TeamsOptions>
{
    public TeamsOptions CurrentValue => value;

    public TeamsOptions Get(string? name) => value;

    public IDisposable? OnChange(Action<TeamsOptions, string?> listener) => null;
}
