using System.Net;
using PscaleBot.Bot.Tests.Slack.Fakes;
using PscaleBot.Bot.Tests.Teams.Support;
using PscaleBot.TestSupport.Postgres;

namespace PscaleBot.Bot.Tests.Chat.Stores;

/// <summary>
/// Issue 10 §2: two bot instances sharing one store are two replicas behind a load balancer. A delivery that reaches
/// both (a Slack retry routed elsewhere, a Teams re-delivery) runs once, and its answer is posted once.
/// </summary>
public abstract class ReplicaDeliveryContract : IAsyncLifetime
{
    private Dictionary<string, string?> shared = null!;

    /// <summary>The settings that put both instances' stores on one database.</summary>
    protected abstract Task<Dictionary<string, string?>> SharedStoreAsync();

    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => shared = await SharedStoreAsync();

    public Task DisposeAsync() => CleanUpAsync();

    [Fact]
    public async Task The_same_signed_slash_command_delivered_to_two_instances_runs_once_and_is_answered_once()
    {
        await using var slack = await FakeSlackServer.StartAsync();
        await using var first = new SlackTestHost(slack, new(shared));
        await using var second = new SlackTestHost(slack, new(shared));
        using var toFirst = first.CreateClient();
        using var toSecond = second.CreateClient();
        var body = SlackSigner.Form(
            ("team_id", "T0TEAM"), ("channel_id", "C0OPS"), ("channel_name", "ops"), ("user_id", "U0ALICE"), ("user_name", "alice"),
            ("command", "/pscale"), ("text", "service-token delete abc123def456"), ("api_app_id", "A0APP"),
            ("response_url", slack.ResponseUrl("r1")), ("trigger_id", "replica.trigger.1"));

        var answers = await Task.WhenAll(
            toFirst.SendAsync(SlackSigner.SignedPost("/slack/commands", body)),
            toSecond.SendAsync(SlackSigner.SignedPost("/slack/commands", body)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        // Both acknowledgements are back, so both instances have decided: only one prepared (and queued) the command.
        Assert.Equal(1, first.Pipeline.Prepared.Count + second.Pipeline.Prepared.Count);
        await Eventually.TrueAsync(() => first.Pipeline.Executed.Count + second.Pipeline.Executed.Count == 1, "the one run");
        await Eventually.TrueAsync(() => slack.ResponseUrlPosts.Count == 2, "the one run's private answer and channel announcement");
        Assert.Equal(1, first.Pipeline.Executed.Count + second.Pipeline.Executed.Count);
    }

    [Fact]
    public async Task The_same_teams_activity_delivered_to_two_instances_runs_once()
    {
        await using var openId = await LocalOpenIdServer.StartAsync();
        await using var connector = await FakeConnectorServer.StartAsync();
        await using var first = new TeamsBotFactory(openId, new(shared));
        await using var second = new TeamsBotFactory(openId, new(shared));
        using var toFirst = first.CreateClient();
        using var toSecond = second.CreateClient();
        var activity = ActivityJson.Message(connector.ServiceUrl);
        var bearer = openId.MintBotFramework(connector.ServiceUrl);

        var answers = await Task.WhenAll(
            toFirst.SendAsync(ActivityJson.Post("/api/messages", activity, bearer)),
            toSecond.SendAsync(ActivityJson.Post("/api/messages", activity, bearer)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(1, first.Pipeline.Prepared.Count + second.Pipeline.Prepared.Count);
        var id = activity["id"]!.GetValue<string>();
        await connector.WaitForAsync(c => c.ActivityType == "message" && c.DecodedPath.EndsWith("/activities/" + id, StringComparison.Ordinal));
    }
}

public sealed class SqliteReplicaDeliveryTests : ReplicaDeliveryContract
{
    private readonly string folder = Directory.CreateTempSubdirectory("pscale-replicas-").FullName;

    protected override Task<Dictionary<string, string?>> SharedStoreAsync() =>
        Task.FromResult(new Dictionary<string, string?> { ["AccessRequests:StorePath"] = Path.Combine(folder, "access.db") });

    protected override Task CleanUpAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresReplicaDeliveryTests(PostgresCluster cluster) : ReplicaDeliveryContract
{
    protected override async Task<Dictionary<string, string?>> SharedStoreAsync() => new()
    {
        ["Storage:Provider"] = "Postgres",
        ["ConnectionStrings:Postgres"] = await cluster.CreateDatabaseAsync("replicas"),
    };
}
