using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Bot.Chat;
using PscaleBot.Bot.Work;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;

namespace PscaleBot.Bot.Tests.Chat;

public sealed class BackgroundAnswerRunnerTests
{
    private static readonly CommandResponse Answer = new([new MessageResult("done", MessageTone.Success)], OutputFormat.Human, ResponseVisibility.Private);

    [Fact]
    public async Task The_works_answer_is_delivered_to_the_target()
    {
        var (services, transport) = Services();
        await BackgroundAnswerRunner.RunAsync(services, "place", (_, _) => Task.FromResult(Answer), OutputFormat.Human, null, CancellationToken.None);
        Assert.Equal([("place", Answer)], transport.Delivered);
    }

    [Fact]
    public async Task An_unexpected_exception_is_answered_with_a_sentence_not_a_stack_trace()
    {
        var (services, transport) = Services();
        await BackgroundAnswerRunner.RunAsync<string>(services, "place", (_, _) => throw new InvalidOperationException("secret internals"), OutputFormat.Json, null, CancellationToken.None);

        var (target, response) = Assert.Single(transport.Delivered);
        Assert.Equal("place", target);
        Assert.Equal(OutputFormat.Json, response.Format);
        var error = Assert.IsType<ErrorResult>(Assert.Single(response.Results));
        Assert.Equal(BackgroundAnswerRunner.Failure, error);
        Assert.DoesNotContain("internals", error.Message + error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_delivering_the_answer_fails_the_failure_sentence_is_tried_once()
    {
        var (services, transport) = Services(failFirst: 1);
        await BackgroundAnswerRunner.RunAsync(services, "place", (_, _) => Task.FromResult(Answer), OutputFormat.Human, null, CancellationToken.None);
        var (_, response) = Assert.Single(transport.Delivered);
        Assert.Equal(BackgroundAnswerRunner.Failure, Assert.Single(response.Results));
    }

    [Fact]
    public async Task A_failing_failure_sentence_is_not_retried_forever()
    {
        var (services, transport) = Services(failFirst: 5);
        await BackgroundAnswerRunner.RunAsync<string>(services, "place", (_, _) => throw new InvalidOperationException(), OutputFormat.Human, null, CancellationToken.None);
        Assert.Equal(1, transport.Attempts);
    }

    [Fact]
    public async Task Cancellation_is_not_answered()
    {
        var (services, transport) = Services();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => BackgroundAnswerRunner.RunAsync<string>(
            services, "place", (_, _) => throw new OperationCanceledException(), OutputFormat.Human, null, CancellationToken.None));
        Assert.Empty(transport.Delivered);
    }

    [Fact]
    public void A_full_queue_is_reported_so_the_caller_can_say_busy()
    {
        Assert.False(new BackgroundAnswerRunner(new FullQueue()).TryQueue("x", "place", (_, _) => Task.FromResult(Answer)));
    }

    [Fact]
    public async Task An_undeliverable_answer_is_audited_as_undelivered_with_the_reason_and_no_secret()
    {
        var (services, transport) = Services(undeliverable: true);
        await BackgroundAnswerRunner.RunAsync(services, "place", (_, _) => Task.FromResult(Created), OutputFormat.Human, Prepared, CancellationToken.None);

        var row = Assert.Single(await services.GetRequiredService<IAuditLog>().RecentAsync(10, CancellationToken.None));
        Assert.Equal("undelivered: response_url and chat.postEphemeral refused", row.Outcome);
        Assert.Equal("slack:user:U1", row.UserId);
        Assert.DoesNotContain(Secret, $"{row.Command} {row.Reason} {row.Outcome}", StringComparison.Ordinal);
        Assert.Empty(transport.Delivered);
    }

    [Fact]
    public async Task A_lost_secret_is_told_by_another_route_with_the_token_id_and_what_to_do_never_the_secret()
    {
        var (services, transport) = Services(undeliverable: true);
        await BackgroundAnswerRunner.RunAsync(services, "place", (_, _) => Task.FromResult(Created), OutputFormat.Human, Prepared, CancellationToken.None);

        var told = Assert.Single(transport.ToldElsewhere);
        Assert.Contains("tok123", told, StringComparison.Ordinal);
        Assert.Contains("service-token delete tok123", told, StringComparison.Ordinal);
        Assert.Contains("secret is lost", told, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, told, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_no_other_route_works_the_lost_secret_notice_waits_for_the_next_command()
    {
        var (services, _) = Services(undeliverable: true, otherRouteWorks: false);
        await BackgroundAnswerRunner.RunAsync(services, "place", (_, _) => Task.FromResult(Created), OutputFormat.Human, Prepared, CancellationToken.None);

        var notice = Assert.Single(services.GetRequiredService<PendingNotices>().Take(Prepared.Request.Caller));
        Assert.Contains("tok123", notice, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, notice, StringComparison.Ordinal);
        Assert.Empty(services.GetRequiredService<PendingNotices>().Take(Prepared.Request.Caller));
    }

    [Theory]
    [InlineData(WorkInterruption.NotStarted, "abandoned: the bot restarted before it ran", "nothing was changed. Run it again")]
    [InlineData(WorkInterruption.Interrupted, "interrupted: the bot restarted while it ran", "may or may not have taken effect")]
    public async Task Work_the_bot_could_not_finish_is_audited_and_the_requester_is_told(WorkInterruption why, string outcome, string told)
    {
        var (services, transport) = Services();
        await BackgroundAnswerRunner.AbandonAsync(services, "place", OutputFormat.Human, Prepared, why, CancellationToken.None);

        Assert.Equal(outcome, Assert.Single(await services.GetRequiredService<IAuditLog>().RecentAsync(10, CancellationToken.None)).Outcome);
        var (_, response) = Assert.Single(transport.Delivered);
        Assert.Contains(told, Assert.IsType<ErrorResult>(Assert.Single(response.Results)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_cut_off_at_shutdown_gets_one_audit_row_and_the_requester_is_still_told()
    {
        var (services, transport) = Services();
        var queue = new CapturingQueue();
        using var stopping = new CancellationTokenSource();

        // The pipeline, cut off mid-run, writes its "cancelled" row (with the request ids so far) and says so.
        Assert.True(new BackgroundAnswerRunner(queue).TryQueue("x", "place", async (s, ct) =>
        {
            await stopping.CancelAsync();
            await s.GetRequiredService<CommandAuditRecorder>().RecordAsync(
                Prepared.Request, Prepared.Parse, "allowed", null, "cancelled", ["req-1"], CancellationToken.None);
            throw new CommandCancelledException(ct);
        }, OutputFormat.Human, Prepared));
        var item = Assert.Single(queue.Items);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => item.Run(services, stopping.Token));
        await item.Abandon!(services, WorkInterruption.Interrupted, CancellationToken.None);

        var row = Assert.Single(await services.GetRequiredService<IAuditLog>().RecentAsync(10, CancellationToken.None));
        Assert.Equal("cancelled", row.Outcome);
        Assert.Equal(["req-1"], row.RequestIds);
        var (_, response) = Assert.Single(transport.Delivered);
        Assert.Contains("may or may not have taken effect", Assert.IsType<ErrorResult>(Assert.Single(response.Results)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Work_cut_off_before_the_pipeline_audited_it_gets_the_runners_row()
    {
        var (services, _) = Services();
        var queue = new CapturingQueue();
        Assert.True(new BackgroundAnswerRunner(queue).TryQueue("x", "place", (_, ct) => Task.FromCanceled<CommandResponse>(new CancellationToken(true)), OutputFormat.Human, Prepared));
        var item = Assert.Single(queue.Items);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => item.Run(services, CancellationToken.None));
        await item.Abandon!(services, WorkInterruption.Interrupted, CancellationToken.None);

        Assert.Equal("interrupted: the bot restarted while it ran", Assert.Single(await services.GetRequiredService<IAuditLog>().RecentAsync(10, CancellationToken.None)).Outcome);
    }

    private const string Secret = "pscale_tkn_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

    private static readonly CommandResponse Created = new(
        [new TokenTable("acme", TokenTableKind.Created, [new ServiceToken("tok123", "ci", DateTimeOffset.UnixEpoch, null, null, new TokenSecret(Secret))])],
        OutputFormat.Human,
        ResponseVisibility.Private);

    private static readonly PreparedCommand Prepared = new(
        new ChatRequest(new ChatIdentity(ChatPlatform.Slack, "slack:user:U1", [], "alice", "slack:team:T1"), new ChatPlace(["slack:channel:C1"], false, "ops"), "service-token create --name ci"),
        new ParseOutcome(null, null, "service-token create --name ci", false),
        "acme",
        null,
        null);

    private static (IServiceProvider Services, RecordingTransport Transport) Services(int failFirst = 0, bool undeliverable = false, bool otherRouteWorks = true)
    {
        var transport = new RecordingTransport(failFirst, undeliverable, otherRouteWorks);
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<IAuditLog>(new InMemoryAuditLog())
            .AddTransient<CommandAuditRecorder>()
            .AddChatLayer()
            .AddSingleton<IChatReplyTransport<string>>(transport)
            .BuildServiceProvider();
        return (services, transport);
    }

    private sealed class RecordingTransport(int failFirst, bool undeliverable, bool otherRouteWorks) : IChatReplyTransport<string>
    {
        public List<(string Target, CommandResponse Response)> Delivered { get; } = [];

        public List<string> ToldElsewhere { get; } = [];

        public Task<bool> TellRequesterElsewhereAsync(string target, string text, CancellationToken cancellationToken)
        {
            if (otherRouteWorks)
            {
                ToldElsewhere.Add(text);
            }

            return Task.FromResult(otherRouteWorks);
        }

        public int Attempts { get; private set; }

        public Task DeliverAsync(string target, CommandResponse response, CancellationToken cancellationToken)
        {
            if (undeliverable)
            {
                throw new ReplyUndeliveredException("response_url and chat.postEphemeral refused");
            }

            if (++Attempts <= failFirst)
            {
                throw new HttpRequestException("platform down");
            }

            Delivered.Add((target, response));
            return Task.CompletedTask;
        }
    }

    private sealed class CapturingQueue : IBackgroundWorkQueue
    {
        public TimeSpan RetryAfter(string? owner) => TimeSpan.FromSeconds(20);

        public List<BackgroundWorkItem> Items { get; } = [];

        public bool TryEnqueue(BackgroundWorkItem item)
        {
            Items.Add(item);
            return true;
        }
    }

    private sealed class FullQueue : IBackgroundWorkQueue
    {
        public bool TryEnqueue(BackgroundWorkItem item) => false;

        public TimeSpan RetryAfter(string? owner) => TimeSpan.FromSeconds(20);
    }
}
