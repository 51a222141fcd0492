using System.Net;
using PscaleBot.EndToEnd.Tests.Slack;
using PscaleBot.TestSupport.Postgres;
using static PscaleBot.EndToEnd.Tests.Slack.SlackPeople;

namespace PscaleBot.EndToEnd.Tests.Failures;

/// <summary>
/// Issue 10 §5: the bot on PostgreSQL over real HTTP, with the server stopped under it (its own throwaway cluster,
/// so other tests' database stays up). While it is down a signed command answers that nothing was changed and
/// changes nothing at PlanetScale, and <c>/readyz</c> says why; once it is back, commands run again. A restart of
/// the server mid-traffic (a failover) breaks every pooled connection and is survived the same way.
/// </summary>
public sealed class DatabaseDownEndToEndTests : IAsyncLifetime
{
    private readonly PostgresCluster cluster = new();

    public Task InitializeAsync() => cluster.InitializeAsync();

    public Task DisposeAsync() => cluster.DisposeAsync();

    [Fact]
    public async Task While_postgres_is_down_commands_change_nothing_and_say_so_readyz_is_false_and_all_resumes_after()
    {
        await using var bot = await StartAsync();
        using var client = bot.Bot.CreateClient();
        var token = await bot.SandboxApi.CreateTokenAsync("e2e-db-down");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);

        await cluster.StopServerAsync();
        var id = bot.NewResponseId();
        var ack = await bot.CommandAsync(Alice, Ops, $"service-token add-access {token} read_branch --database staging", id);

        Assert.Equal(HttpStatusCode.OK, ack.Status);
        Assert.Contains("temporarily unavailable, so nothing was changed", (string?)ack.Json["text"]);
        Assert.Equal("ephemeral", (string?)ack.Json["response_type"]);
        Assert.DoesNotContain("   at ", ack.Body);
        Assert.Empty(await bot.SandboxApi.GrantsAsync(token));
        var ready = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("temporarily unavailable", await ready.Content.ReadAsStringAsync());

        await cluster.StartServerAsync();
        await AssertAddAccessWorksAsync(bot, token, "read_branch");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task A_server_restart_mid_traffic_breaks_no_later_command()
    {
        await using var bot = await StartAsync();
        var token = await bot.SandboxApi.CreateTokenAsync("e2e-db-failover");
        await AssertAddAccessWorksAsync(bot, token, "read_branch");

        // Every pooled connection dies underneath the pool. Npgsql notices a broken connection when it is used and
        // discards it; at most the first command after the restart may meet one and fail closed, never later ones.
        await cluster.RestartServerAsync();
        var first = bot.NewResponseId();
        var ack = await bot.CommandAsync(Alice, Ops, $"service-token add-access {token} create_branch --database staging", first);
        Assert.Equal(HttpStatusCode.OK, ack.Status);

        await AssertAddAccessWorksAsync(bot, token, "delete_branch");
    }

    private async Task<SlackBot> StartAsync()
    {
        var connectionString = await cluster.CreateDatabaseAsync("down");
        return await SlackBot.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["ConnectionStrings:Postgres"] = connectionString,
        });
    }

    private static async Task AssertAddAccessWorksAsync(SlackBot bot, string token, string permission)
    {
        var id = bot.NewResponseId();
        var ack = await bot.CommandAsync(Alice, Ops, $"service-token add-access {token} {permission} --database staging", id);
        Assert.Equal(HttpStatusCode.OK, ack.Status);
        Assert.Equal("", ack.Body);
        await bot.WaitForPostsAsync(id, 2);
        Assert.Contains(await bot.SandboxApi.GrantsAsync(token), g => g.ResourceName == "staging" && g.Accesses.Contains(permission));
    }
}
