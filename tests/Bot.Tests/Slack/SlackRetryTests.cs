using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.Timeout;
using PscaleBot.Bot.Slack;
using PscaleBot.Bot.Slack.Api;
using PscaleBot.Bot.Slack.Identity;
using PscaleBot.Commands.Http;

namespace PscaleBot.Bot.Tests.Slack;

/// <summary>The Slack pipelines as the bot builds them, around an in-memory handler.</summary>
internal static class SlackRetryPipelines
{
    public static ResilienceHandler Handler(SafeRetryRule rule, TimeProvider clock, HttpMessageHandler inner, HttpTimeouts? timeouts = null) =>
        new(new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddSafeRetries("Slack", rule, timeouts ?? SlackRetryRules.WebApiTimeouts, clock, NullLogger.Instance)
            .Build())
        { InnerHandler = inner };
}

public sealed class SlackRetryTests
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    private static HttpRequestMessage Call(string method) =>
        new(HttpMethod.Post, $"https://slack.example/api/{method}") { Content = new StringContent("{}") };

    private HttpMessageInvoker Invoker(HttpMessageHandler inner, SafeRetryRule? rule = null) =>
        new(SlackRetryPipelines.Handler(rule ?? SlackRetryRules.WebApi(new SlackOptions()), clock, inner));

    [Fact]
    public async Task A_post_that_reached_slack_and_timed_out_is_not_resent()
    {
        var inner = new ScriptedHandler(Step.Hang, Step.Ok);
        using var invoker = Invoker(inner);
        var pending = invoker.SendAsync(Call("chat.postMessage"), CancellationToken.None);
        Assert.Equal(1, inner.Calls);

        clock.Advance(SlackRetryRules.WebApiTimeouts.Attempt);

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => pending);
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task A_read_that_timed_out_is_sent_again()
    {
        var inner = new ScriptedHandler(Step.Hang, Step.Ok);
        using var invoker = new HttpMessageInvoker(SlackRetryPipelines.Handler(
            SlackRetryRules.WebApi(new SlackOptions()) with { BaseDelay = TimeSpan.Zero }, clock, inner));
        var pending = invoker.SendAsync(Call("users.info"), CancellationToken.None);

        clock.Advance(SlackRetryRules.WebApiTimeouts.Attempt);

        Assert.Equal(HttpStatusCode.OK, (await pending).StatusCode);
        Assert.Equal(2, inner.Calls);
    }

    [Theory]
    [InlineData("chat.postMessage", 1)]
    [InlineData("chat.update", 1)]
    [InlineData("usergroups.list", 2)]
    [InlineData("conversations.info", 2)]
    public async Task A_server_error_is_retried_only_for_reads(string method, int calls)
    {
        var inner = new ScriptedHandler(Step.ServerError, Step.Ok);
        using var invoker = Invoker(inner, SlackRetryRules.WebApi(new SlackOptions()) with { BaseDelay = TimeSpan.Zero });

        await invoker.SendAsync(Call(method), CancellationToken.None);

        Assert.Equal(calls, inner.Calls);
    }

    [Fact]
    public async Task A_write_whose_connection_never_opened_is_sent_again()
    {
        var inner = new ScriptedHandler(Step.Refused, Step.Ok);
        using var invoker = Invoker(inner, SlackRetryRules.WebApi(new SlackOptions()) with { BaseDelay = TimeSpan.Zero });

        Assert.Equal(HttpStatusCode.OK, (await invoker.SendAsync(Call("chat.postMessage"), CancellationToken.None)).StatusCode);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task A_write_broken_after_it_was_sent_is_not_sent_again()
    {
        var inner = new ScriptedHandler(Step.Reset, Step.Ok);
        using var invoker = Invoker(inner, SlackRetryRules.WebApi(new SlackOptions()) with { BaseDelay = TimeSpan.Zero });

        await Assert.ThrowsAsync<HttpRequestException>(() => invoker.SendAsync(Call("chat.postMessage"), CancellationToken.None));
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task A_response_url_post_is_retried_after_429_only()
    {
        var limited = new ScriptedHandler(Step.RateLimited, Step.Ok);
        using (var invoker = Invoker(limited, SlackRetryRules.ResponseUrl(new SlackOptions())))
        {
            await invoker.SendAsync(Call("response"), CancellationToken.None);
        }

        var failed = new ScriptedHandler(Step.ServerError, Step.Ok);
        using (var invoker = Invoker(failed, SlackRetryRules.ResponseUrl(new SlackOptions())))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, (await invoker.SendAsync(Call("response"), CancellationToken.None)).StatusCode);
        }

        Assert.Equal(2, limited.Calls);
        Assert.Equal(1, failed.Calls);
    }

    [Fact]
    public async Task No_retries_are_made_when_none_are_allowed()
    {
        var inner = new ScriptedHandler(Step.RateLimited, Step.Ok);
        using var invoker = Invoker(inner, SlackRetryRules.WebApi(new SlackOptions { MaxRateLimitRetries = 0 }));

        Assert.Equal(HttpStatusCode.TooManyRequests, (await invoker.SendAsync(Call("users.info"), CancellationToken.None)).StatusCode);
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task An_unreachable_slack_gives_no_groups_rather_than_failing()
    {
        // Port 1 on loopback: nothing listens, the connection is refused before anything is sent.
        await using var services = SlackServices("http://127.0.0.1:1/api/", TimeProvider.System);
        var directory = services.GetRequiredService<ISlackUserGroupDirectory>();

        var membership = await directory.GroupsOfAsync("T1", "U1", CancellationToken.None);
        Assert.False(membership.Known);
        Assert.Empty(membership.Groups);
        var error = await Assert.ThrowsAsync<SlackApiException>(() => services.GetRequiredService<SlackApiClient>().GetUserAsync("U1", CancellationToken.None));
        Assert.Equal("unreachable", error.Error);
    }

    [Fact]
    public async Task A_group_lookup_that_times_out_gives_no_groups_rather_than_failing()
    {
        // A server that accepts the connection and never answers: the request arrived, the answer never comes.
        using var silent = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = silent.AcceptTcpClientAsync();
        await using var services = SlackServices($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/api/", clock);
        var pending = services.GetRequiredService<ISlackUserGroupDirectory>().GroupsOfAsync("T1", "U1", CancellationToken.None);
        using var connection = await accepted;

        clock.Advance(SlackRetryRules.WebApiTimeouts.Attempt);

        var membership = await pending;
        Assert.False(membership.Known);
        Assert.Empty(membership.Groups);
    }

    private static ServiceProvider SlackServices(string apiBase, TimeProvider time)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = "xoxb-bot",
            ["Slack:ApiBaseUrl"] = apiBase,
            // No retries: the point is what the caller sees once the call has failed.
            ["Slack:MaxRateLimitRetries"] = "0",
        });
        builder.Services.AddSingleton(time);
        builder.AddSlack();

        return builder.Services.BuildServiceProvider();
    }

    private enum Step
    {
        Ok,
        Hang,
        ServerError,
        RateLimited,
        Refused,
        Reset,
    }

    private sealed class ScriptedHandler(params Step[] steps) : HttpMessageHandler
    {
        private int calls;

        public int Calls => calls;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var step = steps[Math.Min(Interlocked.Increment(ref calls), steps.Length) - 1];
            switch (step)
            {
                case Step.Hang:
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                    throw new InvalidOperationException("unreachable");
                case Step.Refused:
                    throw new HttpRequestException(HttpRequestError.ConnectionError, "connection refused");
                case Step.Reset:
                    throw new HttpRequestException(HttpRequestError.ResponseEnded, "response ended");
                case Step.ServerError:
                    return new HttpResponseMessage(HttpStatusCode.InternalServerError);
                case Step.RateLimited:
                    var limited = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
                    limited.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.Zero);
                    return limited;
                default:
                    return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"ok":true,"usergroups":[]}""") };
            }
        }
    }
}
