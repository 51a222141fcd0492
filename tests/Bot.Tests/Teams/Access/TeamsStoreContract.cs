using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using PscaleBot.Bot.Teams.Access;
using PscaleBot.Bot.Teams.Protocol;
using PscaleBot.Bot.Tests.Chat.Stores;
using PscaleBot.TestSupport.Postgres;

namespace PscaleBot.Bot.Tests.Teams.Access;

/// <summary>What the Teams conversation and approval-card stores must do on every engine; one subclass per engine.</summary>
public abstract class TeamsStoreContract : IAsyncLifetime
{
    private readonly FakeTimeProvider time = new(DateTimeOffset.Parse("2026-12-03T10:00:00Z", CultureInfo.InvariantCulture));
    private IStoreEngine engine = null!;

    protected abstract Task<IStoreEngine> StartEngineAsync();

    public async Task InitializeAsync() => engine = await StartEngineAsync();

    public async Task DisposeAsync() => await engine.DisposeAsync();

    private SqlTeamsConversationStore Conversations() => new(engine.Open(TeamsConversationSchema.Schemas), time);

    private SqlTeamsApprovalCardStore Cards() => new(engine.Open(TeamsApprovalCardSchema.Schemas), time);

    private static ConversationReference Reference(string conversation, string serviceUrl = "https://smba.trafficmanager.net/emea/") =>
        new(serviceUrl, conversation, "channel", null, new ChannelAccount { Id = "28:bot", Name = "pscale" },
            new ChannelAccount { Id = "29:user", AadObjectId = "00000000-0000-0000-0000-0000000000a1" }, "tenant-1");

    [Fact]
    public async Task A_saved_reference_is_found_by_another_replica_whatever_the_key_case()
    {
        var reference = Reference("19:ops@thread.tacv2");
        await Conversations().SaveAsync([new("teams:channel:19:ops@thread.tacv2", reference)], CancellationToken.None);

        var found = await Conversations().FindAsync("teams:channel:19:OPS@thread.tacv2", CancellationToken.None);

        Assert.Equal(reference, found);
    }

    [Fact]
    public async Task A_saved_reference_is_replaced_and_an_unknown_key_finds_nothing()
    {
        var store = Conversations();
        await store.SaveAsync([new("teams:team:19:t", Reference("19:t"))], CancellationToken.None);
        await store.SaveAsync([new("teams:team:19:t", Reference("19:t", "https://smba.trafficmanager.net/amer/"))], CancellationToken.None);

        Assert.Equal("https://smba.trafficmanager.net/amer/", (await store.FindAsync("teams:team:19:t", CancellationToken.None))!.ServiceUrl);
        Assert.Null(await store.FindAsync("teams:team:19:other", CancellationToken.None));
    }

    [Fact]
    public async Task Two_replicas_saving_the_same_keys_at_once_leave_one_row_each()
    {
        var replicas = new[] { Conversations(), Conversations() };

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            replicas[i % 2].SaveAsync([new("teams:channel:19:c", Reference("19:c")), new("teams:user:a1", Reference($"a:{i % 2}"))], CancellationToken.None))));

        Assert.Equal("19:c", (await replicas[0].FindAsync("teams:channel:19:c", CancellationToken.None))!.ConversationId);
        Assert.StartsWith("a:", (await replicas[1].FindAsync("teams:user:a1", CancellationToken.None))!.ConversationId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_approval_card_is_found_by_another_replica_replaced_and_forgotten()
    {
        var card = new TeamsApprovalCard("r-7kq2", Reference("19:approvers@thread.tacv2"), "1700000000001");
        await Cards().SaveAsync(card, CancellationToken.None);
        Assert.Equal(card, await Cards().FindAsync("r-7kq2", CancellationToken.None));

        await Cards().SaveAsync(card with { ActivityId = "1700000000002" }, CancellationToken.None);
        Assert.Equal("1700000000002", (await Cards().FindAsync("r-7kq2", CancellationToken.None))!.ActivityId);

        await Cards().ForgetAsync("r-7kq2", CancellationToken.None);
        Assert.Null(await Cards().FindAsync("r-7kq2", CancellationToken.None));
    }
}

public sealed class SqliteTeamsStoreTests : TeamsStoreContract
{
    protected override Task<IStoreEngine> StartEngineAsync() => Task.FromResult<IStoreEngine>(new SqliteStoreEngine());
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresTeamsStoreTests(PostgresCluster cluster) : TeamsStoreContract
{
    protected override Task<IStoreEngine> StartEngineAsync() => PostgresStoreEngine.StartAsync(cluster, "teams");
}
