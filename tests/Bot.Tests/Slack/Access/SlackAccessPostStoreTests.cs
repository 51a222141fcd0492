using PscaleBot.Bot.Slack.Access;

namespace PscaleBot.Bot.Tests.Slack.Access;

public sealed class SlackAccessPostStoreTests
{
    private readonly string path = Path.Combine(Directory.CreateTempSubdirectory("slack-posts-").FullName, "nested", "access.db");

    [Fact]
    public async Task A_saved_post_is_found_again_by_a_new_store_over_the_same_file()
    {
        await new SqliteSlackAccessPostStore(path, TimeProvider.System).SaveAsync(new SlackAccessPost("r-7kq2", "C0ADMINS", "1700000000.000001"), CancellationToken.None);

        var reopened = new SqliteSlackAccessPostStore(path, TimeProvider.System);

        Assert.Equal(new SlackAccessPost("r-7kq2", "C0ADMINS", "1700000000.000001"), await reopened.FindAsync("r-7kq2", CancellationToken.None));
        Assert.Null(await reopened.FindAsync("r-zzzz", CancellationToken.None));
    }

    [Fact]
    public async Task Posting_again_replaces_where_the_request_is()
    {
        var store = new SqliteSlackAccessPostStore(path, TimeProvider.System);
        await store.SaveAsync(new SlackAccessPost("r-7kq2", "C0ADMINS", "1.1"), CancellationToken.None);
        await store.SaveAsync(new SlackAccessPost("r-7kq2", "C0OTHER", "2.2"), CancellationToken.None);

        Assert.Equal(new SlackAccessPost("r-7kq2", "C0OTHER", "2.2"), await store.FindAsync("r-7kq2", CancellationToken.None));
    }
}
