using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PscaleBot.Bot.Chat;
using PscaleBot.Bot.Work;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Results;

namespace PscaleBot.Bot.Tests.Work;

/// <summary>SIGTERM in a real host: queued answers finish within the drain time; the rest are told and audited.</summary>
public sealed class GracefulShutdownTests
{
    private static readonly CommandResponse Answer = new([new MessageResult("done", MessageTone.Success)], OutputFormat.Human, ResponseVisibility.Private);

    [Fact]
    public async Task Stopping_the_host_answers_queued_work_and_tells_and_audits_what_it_could_not_finish()
    {
        var transport = new RecordingTransport();
        var audit = new InMemoryAuditLog();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["BackgroundWork:MaxConcurrency"] = "1",
            ["BackgroundWork:DrainTimeout"] = "00:00:00.300",
        });
        builder.AddBackgroundWork();
        builder.Services.AddChatLayer();
        builder.Services.AddSingleton<IAuditLog>(audit);
        builder.Services.AddTransient<CommandAuditRecorder>();
        builder.Services.AddSingleton<IChatReplyTransport<string>>(transport);
        using var host = builder.Build();
        await host.StartAsync();

        var runner = host.Services.GetRequiredService<BackgroundAnswerRunner>();
        var started = new TaskCompletionSource();
        Assert.True(runner.TryQueue("quick", "quick", (_, _) => Task.FromResult(Answer), command: Prepared("service-token list")));
        Assert.True(runner.TryQueue("stuck", "stuck", async (_, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return Answer;
        }, command: Prepared("service-token delete tok1")));
        Assert.True(runner.TryQueue("waiting", "waiting", (_, _) => Task.FromResult(Answer), command: Prepared("service-token create")));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.False(runner.TryQueue("late", "late", (_, _) => Task.FromResult(Answer)));
        Assert.Equal(Answer, transport.To("quick"));
        Assert.Contains("may or may not have taken effect", Text(transport.To("stuck")), StringComparison.Ordinal);
        Assert.Contains("nothing was changed. Run it again", Text(transport.To("waiting")), StringComparison.Ordinal);
        var rows = await audit.RecentAsync(10, CancellationToken.None);
        Assert.Contains(rows, r => r.Command.Contains("delete", StringComparison.Ordinal) && r.Outcome == "interrupted: the bot restarted while it ran");
        Assert.Contains(rows, r => r.Command.Contains("create", StringComparison.Ordinal) && r.Outcome == "abandoned: the bot restarted before it ran");
    }

    [Fact]
    public async Task The_host_waits_long_enough_for_the_drain()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["BackgroundWork:DrainTimeout"] = "00:01:00" });
        builder.AddBackgroundWork();
        using var host = builder.Build();
        Assert.True(host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HostOptions>>().Value.ShutdownTimeout > TimeSpan.FromMinutes(1));
        await Task.CompletedTask;
    }

    private static string Text(CommandResponse response) => Assert.IsType<ErrorResult>(Assert.Single(response.Results)).Message;

    private static PreparedCommand Prepared(string text) => new(
        new ChatRequest(new ChatIdentity(ChatPlatform.Slack, "slack:user:U1", [], "alice"), new ChatPlace(["slack:channel:C1"], false, "ops"), text),
        new ParseOutcome(null, null, text, false),
        "acme",
        null,
        null);

    private sealed class RecordingTransport : IChatReplyTransport<string>
    {
        private readonly List<(string Target, CommandResponse Response)> delivered = [];

        public CommandResponse To(string target)
        {
            lock (delivered)
            {
                return Assert.Single(delivered, d => d.Target == target).Response;
            }
        }

        public Task DeliverAsync(string target, CommandResponse response, CancellationToken cancellationToken)
        {
            lock (delivered)
            {
                delivered.Add((target, response));
            }

            return Task.CompletedTask;
        }

        public Task<bool> TellRequesterElsewhereAsync(string target, string text, CancellationToken cancellationToken) => Task.FromResult(false);
    }
}
