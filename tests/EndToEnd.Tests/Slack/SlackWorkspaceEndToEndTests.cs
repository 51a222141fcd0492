using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Commands.Audit;
using static PscaleBot.EndToEnd.Tests.Slack.SlackPeople;

namespace PscaleBot.EndToEnd.Tests.Slack;

/// <summary>
/// Issue 9, finding 13: a Slack Connect channel bound to <c>who: "*"</c> puts another organization's people in front of
/// the bot. Their validly signed commands are refused before anything runs, and audited; the bot's own workspace works.
/// </summary>
public sealed class SlackWorkspaceEndToEndTests : IAsyncLifetime
{
    private const string Shared = "C0SHARED";

    private static readonly string Policy = SlackPolicies.Standard + """

          - where: slack:channel:C0SHARED
            who: "*"
            roles: [reader]
        """;

    private SlackBot bot = null!;

    public async Task InitializeAsync() => bot = await SlackBot.StartAsync(Policy);

    public async Task DisposeAsync() => await bot.DisposeAsync();

    [Fact]
    public async Task A_signed_command_from_another_organizations_workspace_is_refused_and_audited()
    {
        var id = bot.NewResponseId();
        var ack = await bot.CommandAsync("U0STRANGER", Shared, "service-token list", id, teamId: "T0OTHERCO");

        Assert.Equal(System.Net.HttpStatusCode.OK, ack.Status);
        Assert.Equal("ephemeral", (string?)ack.Json["response_type"]);
        Assert.Contains($"serves the Slack workspace {Team} only", ack.Body);
        Assert.Contains("T0OTHERCO", ack.Body);
        await Task.Delay(500);
        Assert.Empty(bot.PostsTo(id));
        // The served workspace's groups are read at start; the stranger's workspace is never looked up.
        Assert.DoesNotContain(bot.Slack.Calls("usergroups.list"), c => c.Body.Contains("T0OTHERCO", StringComparison.Ordinal));

        var audit = await bot.Bot.Services.GetRequiredService<IAuditLog>().RecentAsync(50, CancellationToken.None);
        var row = Assert.Single(audit, e => e.UserId == "slack:user:U0STRANGER");
        Assert.Equal("denied", row.Decision);
        Assert.Contains("T0OTHERCO", row.Reason);
        Assert.Equal($"slack:channel:{Shared}", row.Place);
    }

    [Fact]
    public async Task Anyone_in_the_served_workspace_still_lists_the_tokens_in_the_shared_channel()
    {
        var id = bot.NewResponseId();
        var ack = await bot.CommandAsync("U0COLLEAGUE", Shared, "service-token list", id);

        Assert.Equal(System.Net.HttpStatusCode.OK, ack.Status);
        var post = Assert.Single(await bot.WaitForPostsAsync(id));
        Assert.Contains("\"type\":\"table\"", post.ToJsonString());
    }
}
