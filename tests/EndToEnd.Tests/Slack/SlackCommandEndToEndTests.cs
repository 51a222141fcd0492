using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Bot.Tests.Slack.Fakes;
using PscaleBot.Commands.Audit;
using PscaleBot.EndToEnd.Tests.Support;
using static PscaleBot.EndToEnd.Tests.Slack.SlackPeople;

namespace PscaleBot.EndToEnd.Tests.Slack;

/// <summary>One bot for the class: Slack over signed HTTP, fake Slack on loopback, a real sandbox.</summary>
public sealed class SlackBotFixture : IAsyncLifetime
{
    public SlackBot Bot { get; private set; } = null!;

    public async Task InitializeAsync() => Bot = await SlackBot.StartAsync();

    public async Task DisposeAsync() => await Bot.DisposeAsync();
}

/// <summary>
/// The issue's acceptance over real HTTP: a signed slash command is acknowledged at once, and the Block Kit
/// answer posted to the response_url shows what the sandbox really holds afterwards.
/// </summary>
public sealed partial class SlackCommandEndToEndTests(SlackBotFixture fixture) : IClassFixture<SlackBotFixture>
{
    private static readonly TimeSpan SlackBudget = TimeSpan.FromSeconds(3);
    private SlackBot Bot => fixture.Bot;

    [Fact]
    public async Task Show_access_answers_privately_with_the_sandboxs_grants()
    {
        var id = Bot.NewResponseId();
        var ack = await Bot.CommandAsync(Alice, Ops, "service-token show-access ci7deploy0a1", id);

        AssertAcknowledged(ack);
        var post = Assert.Single(await Bot.WaitForPostsAsync(id));
        Assert.Equal("ephemeral", (string?)post["response_type"]);
        await AssertTableMatchesSandboxAsync(post, "ci7deploy0a1");
    }

    [Fact]
    public async Task List_shows_every_token_the_sandbox_has()
    {
        var id = Bot.NewResponseId();
        var ack = await Bot.CommandAsync(Alice, Ops, "service-token list", id);

        AssertAcknowledged(ack);
        var post = Assert.Single(await Bot.WaitForPostsAsync(id));
        var shown = new SortedSet<string>(SlackTable.Rows(post).Select(r => r[0]), StringComparer.Ordinal);
        Assert.Equal(await Bot.SandboxApi.TokenIdsAsync(), shown);
        Assert.Contains("ci7deploy0a1", shown);
    }

    [Fact]
    public async Task Show_shows_the_token_by_id_and_name()
    {
        var id = Bot.NewResponseId();
        var ack = await Bot.CommandAsync(Alice, Ops, "service-token show ci7deploy0a1", id);

        AssertAcknowledged(ack);
        var post = Assert.Single(await Bot.WaitForPostsAsync(id));
        var row = Assert.Single(SlackTable.Rows(post));
        Assert.Equal(["ci7deploy0a1", "ci-deploy"], row[..2]);
    }

    [Fact]
    public async Task Add_access_grants_in_the_sandbox_shows_the_new_state_and_announces_in_the_channel()
    {
        var token = await Bot.SandboxApi.CreateTokenAsync("e2e-add");
        var id = Bot.NewResponseId();
        var ack = await Bot.CommandAsync(Alice, Ops, $"service-token add-access {token} read_branch create_branch --database staging", id);

        AssertAcknowledged(ack);
        var posts = await Bot.WaitForPostsAsync(id, 2);
        var table = posts.Single(p => p["blocks"]!.AsArray().Any(b => (string?)b!["type"] == "table"));
        Assert.Equal("ephemeral", (string?)table["response_type"]);
        var grants = await Bot.SandboxApi.GrantsAsync(token);
        Assert.Equal(["create_branch", "read_branch"], grants.Single(g => g.ResourceName == "staging").Accesses.Order());
        await AssertTableMatchesSandboxAsync(table, token);
        var announcement = posts.Single(p => (string?)p["response_type"] == "in_channel");
        Assert.Contains(token, (string?)announcement["text"]);
    }

    [Fact]
    public async Task Delete_access_removes_in_the_sandbox_and_shows_what_is_left()
    {
        var token = await Bot.SandboxApi.CreateTokenAsync("e2e-del-access");
        var grant = Bot.NewResponseId();
        await Bot.CommandAsync(Alice, Ops, $"service-token add-access {token} read_branch connect_branch --database analytics", grant);
        await Bot.WaitForPostsAsync(grant, 2);

        var id = Bot.NewResponseId();
        var ack = await Bot.CommandAsync(Alice, Ops, $"service-token delete-access {token} connect_branch --database analytics", id);

        AssertAcknowledged(ack);
        var posts = await Bot.WaitForPostsAsync(id, 2);
        var table = posts.Single(p => p["blocks"]!.AsArray().Any(b => (string?)b!["type"] == "table"));
        Assert.Equal(["read_branch"], (await Bot.SandboxApi.GrantsAsync(token)).Single(g => g.ResourceName == "analytics").Accesses);
        await AssertTableMatchesSandboxAsync(table, token);
    }

    [Fact]
    public async Task Delete_removes_the_token_from_the_sandbox()
    {
        var token = await Bot.SandboxApi.CreateTokenAsync("e2e-delete");
        var id = Bot.NewResponseId();
        var ack = await Bot.CommandAsync(Alice, Ops, $"service-token delete {token}", id);

        AssertAcknowledged(ack);
        var posts = await Bot.WaitForPostsAsync(id, 2);
        Assert.Contains("successfully deleted", (string?)posts.Single(p => (string?)p["response_type"] == "ephemeral")["text"]);
        Assert.Contains(token, (string?)posts.Single(p => (string?)p["response_type"] == "in_channel")["text"]);
        Assert.False(await Bot.SandboxApi.TokenExistsAsync(token));
    }

    [Fact]
    public async Task A_denied_change_is_answered_in_the_acknowledgement_and_changes_nothing()
    {
        var before = await Bot.SandboxApi.GrantsAsync("ci7deploy0a1");
        var id = Bot.NewResponseId();
        var ack = await Bot.CommandAsync(Bob, Ops, "service-token delete-access ci7deploy0a1 read_branch --database prod", id);

        Assert.Equal(HttpStatusCode.OK, ack.Status);
        Assert.True(ack.Elapsed < SlackBudget, $"acknowledged after {ack.Elapsed}");
        var answer = ack.Json;
        Assert.Equal("ephemeral", (string?)answer["response_type"]);
        Assert.Contains("Not allowed", answer.Raw());
        Assert.Contains("delete-access", answer.Raw());
        Assert.Empty(Bot.PostsTo(id));
        var after = await Bot.SandboxApi.GrantsAsync("ci7deploy0a1");
        Assert.Equal(Describe(before), Describe(after));
        Assert.True(await Bot.SandboxApi.TokenExistsAsync("ci7deploy0a1"));
    }

    [Fact]
    public async Task A_parse_error_is_answered_in_the_acknowledgement_with_what_to_type()
    {
        var id = Bot.NewResponseId();
        var ack = await Bot.CommandAsync(Alice, Ops, "service-token add-acces ci7deploy0a1 read_branch", id);

        Assert.Equal(HttpStatusCode.OK, ack.Status);
        var answer = ack.Json;
        Assert.Equal("ephemeral", (string?)answer["response_type"]);
        Assert.NotEmpty(answer["blocks"]!.AsArray());
        Assert.Contains("add-access", answer.Raw());
        Assert.Empty(Bot.PostsTo(id));
    }

    [Fact]
    public async Task Create_shows_the_secret_only_in_the_private_reply_never_in_logs_audit_or_channel()
    {
        var id = Bot.NewResponseId();
        var ack = await Bot.CommandAsync(Alice, Ops, "service-token create --name e2e-secret", id);

        AssertAcknowledged(ack);
        var posts = await Bot.WaitForPostsAsync(id, 2);
        var withSecret = posts.Where(p => SecretShape().IsMatch(p.Raw())).ToList();
        var secret = SecretShape().Match(Assert.Single(withSecret).Raw()).Value;
        Assert.Equal("ephemeral", (string?)withSecret[0]["response_type"]);
        var tokenId = SlackTable.Rows(withSecret[0])[0][0];
        Assert.True(await Bot.SandboxApi.TokenExistsAsync(tokenId));

        // Everywhere else it could leak: the channel announcement, Slack Web API calls, every log record, the audit store.
        var announcement = Assert.Single(posts, p => (string?)p["response_type"] == "in_channel");
        Assert.Contains(tokenId, announcement.Raw());
        Assert.DoesNotContain(secret, announcement.Raw());
        Assert.DoesNotContain(Bot.Slack.ApiCalls, c => c.Body.Contains(secret, StringComparison.Ordinal));
        Assert.False(Bot.Bot.LogsContain(secret), "a log record holds the secret");
        Assert.False(Bot.Bot.LogsContain("pscale_tkn_"), "a log record holds a token-shaped value");
        var audit = await Bot.Bot.Services.GetRequiredService<IAuditLog>().RecentAsync(500, CancellationToken.None);
        Assert.Contains(audit, e => e.Command.Contains("create", StringComparison.Ordinal));
        Assert.DoesNotContain(audit, e => $"{e.Command} {e.Reason} {e.Outcome}".Contains(secret, StringComparison.Ordinal));
        foreach (var file in Directory.GetFiles(Bot.Bot.DataDirectory, "audit.db*"))
        {
            var bytes = await ReadSharedAsync(file);
            Assert.DoesNotContain(secret, Encoding.UTF8.GetString(bytes));
            Assert.DoesNotContain(secret, Encoding.Unicode.GetString(bytes));
        }
    }

    private static void AssertAcknowledged(SlackAck ack)
    {
        Assert.Equal(HttpStatusCode.OK, ack.Status);
        Assert.Equal("", ack.Body);
        Assert.True(ack.Elapsed < SlackBudget, $"acknowledged after {ack.Elapsed}");
    }

    private async Task AssertTableMatchesSandboxAsync(JsonObject post, string tokenId)
    {
        var sandbox = (await Bot.SandboxApi.GrantsAsync(tokenId)).Where(g => g.Accesses.Count > 0).ToDictionary(g => g.ResourceName, g => g.Accesses);
        var shown = SlackTable.Permissions(post).Where(kv => kv.Value.Count > 0).ToDictionary();
        Assert.Equal(sandbox.Keys.Order(), shown.Keys.Order());
        foreach (var (resource, accesses) in sandbox)
        {
            Assert.Equal(accesses.Order(), shown[resource].Order());
        }
    }

    private static string Describe(IEnumerable<SandboxGrant> grants) =>
        string.Join("; ", grants.OrderBy(g => g.ResourceName).Select(g => $"{g.ResourceName}: {string.Join(",", g.Accesses.Order())}"));

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory);
        return memory.ToArray();
    }

    [GeneratedRegex(@"pscale_tkn_[A-Za-z0-9_\-]+")]
    private static partial Regex SecretShape();
}

/// <summary>Slack's 3-second budget against a PlanetScale that takes 5 seconds per call.</summary>
public sealed class SlackSlowSandboxEndToEndTests
{
    [Fact]
    public async Task The_acknowledgement_returns_while_the_sandbox_call_is_still_in_flight()
    {
        await using var bot = await SlackBot.StartAsync(sandbox: new PscaleBot.Sandbox.SandboxOptions { Faults = { LatencyMs = 5000 } });
        var id = bot.NewResponseId();

        var ack = await bot.CommandAsync(Alice, Ops, "service-token show-access an4lyt1csro0", id);

        Assert.Equal(HttpStatusCode.OK, ack.Status);
        Assert.Equal(0, ack.ResponseUrlPostsBefore);
        Assert.True(ack.Elapsed < TimeSpan.FromSeconds(3), $"acknowledged after {ack.Elapsed}");
        await Eventually.TrueAsync(() => bot.Bot.Sandbox.Faults.PendingDelays > 0 || bot.PostsTo(id).Count > 0, "the sandbox call started");
        Assert.Empty(bot.PostsTo(id));

        var post = Assert.Single(await bot.WaitForPostsAsync(id, seconds: 60));
        Assert.Contains("an4lyt1csro0", (string?)post["text"]);
        bot.Bot.Sandbox.Faults.Set(new PscaleBot.Sandbox.Faults.FaultOptions { RateLimitPerMinute = 0 });
        var grants = await bot.SandboxApi.GrantsAsync("an4lyt1csro0");
        Assert.Equal(
            grants.Single().Accesses.Order(),
            SlackTable.Permissions(post)["analytics"].Order());
    }
}
