using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Bot.Tests.Teams.Support;
using PscaleBot.Bot.Work;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;

namespace PscaleBot.Bot.Tests.Teams;

/// <summary>
/// Issue 9: work Teams asked for and the bot refused (busy) or could not answer (the Bot Connector refused the reply)
/// is answered clearly to Teams, audited, and the person hears about a lost secret on their next command.
/// </summary>
public sealed class TeamsRefusalTests : TeamsTestBase
{
    private readonly InMemoryAuditLog audit = new();

    [Fact]
    public async Task A_message_refused_as_busy_gets_503_with_retry_after_and_an_audit_row()
    {
        using var client = Busy().CreateClient();

        var response = await client.SendAsync(Post(ActivityJson.Message(Connector.ServiceUrl)));

        AssertBusy(response);
        var row = Assert.Single(await audit.RecentAsync(10, CancellationToken.None));
        Assert.Equal("refused: busy", row.Outcome);
        Assert.Equal("teams:user:" + ActivityJson.UserAad, row.UserId);
    }

    [Fact]
    public async Task A_card_submit_refused_as_busy_gets_503_with_retry_after_and_an_audit_row()
    {
        using var client = Busy().CreateClient();
        var submit = ActivityJson.Message(Connector.ServiceUrl, "");
        submit["value"] = new JsonObject { ["verb"] = "access_approve", ["id"] = "req-1" };

        var response = await client.SendAsync(Post(submit));

        AssertBusy(response);
        var row = Assert.Single(await audit.RecentAsync(10, CancellationToken.None));
        Assert.Equal("refused: busy", row.Outcome);
        Assert.Equal("button access_approve", row.Command);
        Assert.Equal("teams:channel:" + ActivityJson.ChannelId, row.Place);
    }

    [Fact]
    public async Task A_welcome_refused_as_busy_gets_503_so_Teams_sends_it_again_and_an_audit_row()
    {
        using var client = Busy().CreateClient();
        var install = ActivityJson.Message(Connector.ServiceUrl, conversationType: "personal");
        install["type"] = "installationUpdate";
        install["action"] = "add";
        install.Remove("text");

        AssertBusy(await client.SendAsync(Post(install)));
        AssertBusy(await client.SendAsync(Post(install)));

        var rows = await audit.RecentAsync(10, CancellationToken.None);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal("welcome message", r.Command));
        Assert.All(rows, r => Assert.Equal("refused: busy", r.Outcome));
    }

    [Fact]
    public async Task An_undeliverable_reply_is_audited_and_its_lost_secret_is_told_on_the_next_command()
    {
        var factory = WithAudit();
        using var client = factory.CreateClient();
        Factory.Pipeline.Respond = r => r.Text.Contains("create", StringComparison.Ordinal)
            ? new CommandResponse([SampleResults.CreatedToken()], OutputFormat.Human, ResponseVisibility.Private)
            : SampleResults.Public(SampleResults.Permissions());
        Connector.ActivityStatus = 403;
        Connector.CreateConversationStatus = 403;

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Post(ActivityJson.Message(Connector.ServiceUrl, "<at>pscale</at> service-token create")))).StatusCode);
        var row = await EventuallyAsync(async () => (await audit.RecentAsync(10, CancellationToken.None)).FirstOrDefault(e => e.Outcome.StartsWith("undelivered:", StringComparison.Ordinal)));
        Assert.Contains("403", row.Outcome, StringComparison.Ordinal);

        // Replies work again, but the 1:1 chat stays out of reach (so no other route told them): the person's next
        // command first tells them what happened, where they asked. One worker, so that command runs after the first.
        Connector.ActivityStatus = null;
        var next = ActivityJson.Message(Connector.ServiceUrl);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Post(next))).StatusCode);

        var notice = await Connector.WaitForAsync(c => c.Body?["text"]?.GetValue<string>()?.Contains("the secret is lost", StringComparison.Ordinal) == true);
        Assert.Contains("service-token delete newtok000001", notice.Body!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith("/activities/" + next["id"]!.GetValue<string>(), notice.DecodedPath, StringComparison.Ordinal);
        Assert.DoesNotContain(Connector.Calls, c => c.RawBody.Contains(SampleResults.SecretValue, StringComparison.Ordinal) && c.DecodedPath.Contains(ActivityJson.ChannelId, StringComparison.Ordinal));
    }

    private WebApplicationFactory<Program> WithAudit(Action<IServiceCollection>? more = null) =>
        Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            s.AddSingleton<IAuditLog>(audit);
            more?.Invoke(s);
        }));

    private WebApplicationFactory<Program> Busy() => WithAudit(s => s.AddSingleton<IBackgroundWorkQueue>(new FullQueue()));

    private HttpRequestMessage Post(JsonObject activity) =>
        ActivityJson.Post("/api/messages", activity, OpenId.MintBotFramework(activity["serviceUrl"]!.GetValue<string>()));

    private static void AssertBusy(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(20), response.Headers.RetryAfter?.Delta);
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        // A bound only so a broken test cannot hang; nothing is asserted about how long it took.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, "The bot never wrote the expected audit row.");
            await Task.Delay(20);
        }
    }

    private sealed class FullQueue : IBackgroundWorkQueue
    {
        public TimeSpan RetryAfter(string? owner) => TimeSpan.FromSeconds(20);

        public bool TryEnqueue(BackgroundWorkItem item) => false;
    }
}
