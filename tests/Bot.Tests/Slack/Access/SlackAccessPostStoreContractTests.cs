using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using PscaleBot.Bot.Slack.Access;
using PscaleBot.TestSupport.Postgres;

namespace PscaleBot.Bot.Tests.Slack.Access;

/// <summary>What every <see cref="ISlackAccessPostStore"/> promises, run against each engine; each open is another replica.</summary>
public abstract class SlackAccessPostStoreContractTests : IAsyncLifetime
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));

    protected abstract ISlackAccessPostStore OpenStore();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_post_saved_by_one_replica_is_found_by_another_and_a_later_save_replaces_it()
    {
        await OpenStore().SaveAsync(new SlackAccessPost("r-7kq2", "C0ADMINS", "1700000000.000100"), CancellationToken.None);
        var other = OpenStore();

        Assert.Equal(new SlackAccessPost("r-7kq2", "C0ADMINS", "1700000000.000100"), await other.FindAsync("r-7kq2", CancellationToken.None));
        Assert.Null(await other.FindAsync("r-none", CancellationToken.None));

        await other.SaveAsync(new SlackAccessPost("r-7kq2", "C0OTHER", "1700000001.000200"), CancellationToken.None);
        Assert.Equal(new SlackAccessPost("r-7kq2", "C0OTHER", "1700000001.000200"), await OpenStore().FindAsync("r-7kq2", CancellationToken.None));
    }

    [Fact]
    public async Task Replicas_saving_the_same_request_at_once_leave_one_row()
    {
        var stores = Enumerable.Range(0, 8).Select(_ => OpenStore()).ToList();
        await Task.WhenAll(stores.Select((store, i) => Task.Run(() => store.SaveAsync(new SlackAccessPost("r-race", "C0ADMINS", $"1.{i}"), CancellationToken.None))));

        var found = await OpenStore().FindAsync("r-race", CancellationToken.None);
        Assert.NotNull(found);
        Assert.Matches(@"^1\.[0-7]$", found.Ts);
    }
}

public sealed class SqliteSlackAccessPostStoreContractTests : SlackAccessPostStoreContractTests
{
    private readonly string folder = Directory.CreateTempSubdirectory("slack-posts-").FullName;

    protected override ISlackAccessPostStore OpenStore() => new SqliteSlackAccessPostStore(Path.Combine(folder, "access.db"), Time);

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresSlackAccessPostStoreContractTests(PostgresCluster cluster) : SlackAccessPostStoreContractTests
{
    private readonly List<NpgsqlDataSource> dataSources = [];
    private string connectionString = "";

    public override async Task InitializeAsync() => connectionString = await cluster.CreateDatabaseAsync("slackposts");

    public override async Task DisposeAsync()
    {
        foreach (var dataSource in dataSources)
        {
            await dataSource.DisposeAsync();
        }
    }

    protected override ISlackAccessPostStore OpenStore()
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        dataSources.Add(dataSource);
        return new PostgresSlackAccessPostStore(dataSource, Time);
    }
}
