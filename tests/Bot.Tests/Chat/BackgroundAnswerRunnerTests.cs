using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Bot.Chat;
using PscaleBot.Bot.Work;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Results;

namespace PscaleBot.Bot.Tests.Chat;

public sealed class BackgroundAnswerRunnerTests
{
    private static readonly CommandResponse Answer = new([new MessageResult("done", MessageTone.Success)], OutputFormat.Human, ResponseVisibility.Private);

    [Fact]
    public async Task The_works_answer_is_delivered_to_the_target()
    {
        var (services, transport) = Services();
        await BackgroundAnswerRunner.RunAsync(services, "place", (_, _) => Task.FromResult(Answer), OutputFormat.Human, CancellationToken.None);
        Assert.Equal([("place", Answer)], transport.Delivered);
    }

    [Fact]
    public async Task An_unexpected_exception_is_answered_with_a_sentence_not_a_stack_trace()
    {
        var (services, transport) = Services();
        await BackgroundAnswerRunner.RunAsync<string>(services, "place", (_, _) => throw new InvalidOperationException("secret internals"), OutputFormat.Json, CancellationToken.None);

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
        await BackgroundAnswerRunner.RunAsync(services, "place", (_, _) => Task.FromResult(Answer), OutputFormat.Human, CancellationToken.None);
        var (_, response) = Assert.Single(transport.Delivered);
        Assert.Equal(BackgroundAnswerRunner.Failure, Assert.Single(response.Results));
    }

    [Fact]
    public async Task A_failing_failure_sentence_is_not_retried_forever()
    {
        var (services, transport) = Services(failFirst: 5);
        await BackgroundAnswerRunner.RunAsync<string>(services, "place", (_, _) => throw new InvalidOperationException(), OutputFormat.Human, CancellationToken.None);
        Assert.Equal(1, transport.Attempts);
    }

    [Fact]
    public async Task Cancellation_is_not_answered()
    {
        var (services, transport) = Services();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => BackgroundAnswerRunner.RunAsync<string>(
            services, "place", (_, _) => throw new OperationCanceledException(), OutputFormat.Human, CancellationToken.None));
        Assert.Empty(transport.Delivered);
    }

    [Fact]
    public void A_full_queue_is_reported_so_the_caller_can_say_busy()
    {
        Assert.False(new BackgroundAnswerRunner(new FullQueue()).TryQueue("x", "place", (_, _) => Task.FromResult(Answer)));
    }

    private static (IServiceProvider Services, RecordingTransport Transport) Services(int failFirst = 0)
    {
        var transport = new RecordingTransport(failFirst);
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IChatReplyTransport<string>>(transport)
            .BuildServiceProvider();
        return (services, transport);
    }

    private sealed class RecordingTransport(int failFirst) : IChatReplyTransport<string>
    {
        public List<(string Target, CommandResponse Response)> Delivered { get; } = [];

        public int Attempts { get; private set; }

        public Task DeliverAsync(string target, CommandResponse response, CancellationToken cancellationToken)
        {
            if (++Attempts <= failFirst)
            {
                throw new HttpRequestException("platform down");
            }

            Delivered.Add((target, response));
            return Task.CompletedTask;
        }
    }

    private sealed class FullQueue : IBackgroundWorkQueue
    {
        public bool TryEnqueue(BackgroundWorkItem item) => false;
    }
}
