using PscaleBot.Bot.Rotation;
using PscaleBot.Bot.Tests.Chat.Stores;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Rotation;
using PscaleBot.TestSupport.Postgres;

namespace PscaleBot.Bot.Tests.Rotation;

/// <summary>What the scheduled-deletion store must do on every engine; one subclass per engine.</summary>
public abstract class TokenRetirementStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    private IStoreEngine engine = null!;

    protected abstract Task<IStoreEngine> StartEngineAsync();

    public async Task InitializeAsync() => engine = await StartEngineAsync();

    public async Task DisposeAsync() => await engine.DisposeAsync();

    private SqlTokenRetirementStore Store() => new(engine.Open(TokenRetirementSchema.Engines));

    private static TokenRetirement Retirement(string id, string oldToken, TimeSpan dueIn) => new(
        id, "acme", oldToken, "n3wt0ken0001", "ci-deploy",
        new AccessRequester("slack:user:U1", "Ada", ChatPlatform.Slack, "slack:channel:C1"), Now, Now + dueIn);

    [Fact]
    public async Task A_scheduled_deletion_survives_a_new_store_on_the_same_data_and_lists_soonest_first()
    {
        await Store().InsertAsync(Retirement("d-later", "0ld0t0ken002", TimeSpan.FromHours(2)), CancellationToken.None);
        await Store().InsertAsync(Retirement("d-sooner", "0ld0t0ken001", TimeSpan.FromHours(1)), CancellationToken.None);

        var reopened = Store();
        Assert.Equal(["d-sooner", "d-later"], (await reopened.ListOpenAsync(CancellationToken.None)).Select(r => r.Id));
        var found = await reopened.FindOpenAsync("acme", "0ld0t0ken001", CancellationToken.None);
        Assert.Equal(Retirement("d-sooner", "0ld0t0ken001", TimeSpan.FromHours(1)), found);
        Assert.Null(await reopened.FindOpenAsync("other", "0ld0t0ken001", CancellationToken.None));
    }

    [Fact]
    public async Task Updates_are_compare_and_set_so_a_cancel_and_a_claim_never_both_win()
    {
        var store = Store();
        await store.InsertAsync(Retirement("d-race", "0ld0t0ken001", TimeSpan.Zero), CancellationToken.None);
        var read = (await store.GetAsync("d-race", CancellationToken.None))!;

        Assert.True(await Store().TryUpdateAsync(read with { State = TokenRetirementState.Cancelled, EndedBy = "slack:user:U2" }, read.Version, CancellationToken.None));
        Assert.False(await store.TryUpdateAsync(read with { State = TokenRetirementState.Deleting, ClaimedAt = Now }, read.Version, CancellationToken.None));

        var stored = (await store.GetAsync("d-race", CancellationToken.None))!;
        Assert.Equal(TokenRetirementState.Cancelled, stored.State);
        Assert.Equal(read.Version + 1, stored.Version);
        Assert.Empty(await store.ListOpenAsync(CancellationToken.None));
        Assert.Null(await store.FindOpenAsync("acme", "0ld0t0ken001", CancellationToken.None));
    }
}

public sealed class SqliteTokenRetirementStoreTests : TokenRetirementStoreContract
{
    protected override Task<IStoreEngine> StartEngineAsync() => Task.FromResult<IStoreEngine>(new SqliteStoreEngine());
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresTokenRetirementStoreTests(PostgresCluster cluster) : TokenRetirementStoreContract
{
    protected override Task<IStoreEngine> StartEngineAsync() => PostgresStoreEngine.StartAsync(cluster, "retirements");
}
