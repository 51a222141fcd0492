using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using PscaleBot.Bot.Teams.Webhook;
using PscaleBot.Bot.Tests.Teams.Support;

namespace PscaleBot.EndToEnd.Tests.Teams;

/// <summary>Signed Teams activities over real HTTP, the real pipeline, the sandbox's state in the cards.</summary>
public sealed class TeamsCommandsEndToEndTests : TeamsEndToEndBase
{
    private const string Ci = "ci7deploy0a1";

    [Fact]
    public async Task Show_access_answers_with_a_card_whose_table_is_the_sandbox_state()
    {
        var reply = await AskAsync($"service-token show-access {Ci}");

        AssertSameGrants(await Sandbox.GrantsByResourceAsync(Ci), PermissionRows(reply.Card!));
        Assert.Equal("Bearer " + FakeTokenSource.Token, reply.Authorization);
    }

    [Fact]
    public async Task Add_access_changes_the_sandbox_and_the_card_shows_the_new_state()
    {
        var reply = await AskAsync($"service-token add-access {Ci} connect_branch --database staging");

        var grants = await Sandbox.GrantsByResourceAsync(Ci);
        Assert.Contains("connect_branch", grants["staging"]);
        AssertSameGrants(grants, PermissionRows(reply.Card!));
        Assert.Contains(TableRows(reply.Card!), row => row[2].Split(", ").Contains("+connect_branch"));
    }

    [Fact]
    public async Task Delete_access_changes_the_sandbox_and_says_so_and_show_access_then_matches_it()
    {
        var reply = await AskAsync($"service-token delete-access {Ci} delete_branch --database staging");

        // Like pscale, delete-access confirms in one line; the table after it comes from show-access.
        Assert.Equal("✅ delete_branch has been removed.", reply.Body!["text"]!.GetValue<string>());
        var table = await AskAsync($"service-token show-access {Ci}");
        var grants = await Sandbox.GrantsByResourceAsync(Ci);
        Assert.DoesNotContain("delete_branch", grants["staging"]);
        AssertSameGrants(grants, PermissionRows(table.Card!));
    }

    [Fact]
    public async Task List_answers_with_every_token_of_the_sandbox()
    {
        var reply = await AskAsync("service-token list");

        var ids = new SortedSet<string>(TableRows(reply.Card!).Select(r => r[0]), StringComparer.Ordinal);
        Assert.Equal(await Sandbox.TokenIdsAsync(), ids);
    }

    [Fact]
    public async Task Create_in_a_channel_sends_the_secret_only_to_the_1_to_1_chat()
    {
        var before = await Sandbox.TokenIdsAsync();

        var channelReply = await AskAsync("service-token create --name e2e-teams");

        var created = Assert.Single((await Sandbox.TokenIdsAsync()).Except(before));
        var opened = await Connector.WaitForAsync(c => c.Method == "POST" && c.DecodedPath.EndsWith("/v3/conversations", StringComparison.Ordinal));
        Assert.Equal("29:user-mri", opened.Body!["members"]![0]!["id"]!.GetValue<string>());
        var personal = await Connector.WaitForAsync(c => c.DecodedPath.Contains("/v3/conversations/a:personal-", StringComparison.Ordinal) && c.Card is not null);
        var secret = personal.Card!["body"]!.AsArray().Select(e => e!["text"]?.GetValue<string>()).Single(t => t?.StartsWith("pscale_tkn_", StringComparison.Ordinal) == true)!;

        Assert.Contains(created, channelReply.RawBody, StringComparison.Ordinal);
        Assert.DoesNotContain("pscale_tkn_", channelReply.RawBody, StringComparison.Ordinal);
        Assert.All(Connector.Calls.Where(c => !c.DecodedPath.Contains("a:personal-", StringComparison.Ordinal)),
            c => Assert.DoesNotContain("pscale_tkn_", c.RawBody, StringComparison.Ordinal));
        Assert.DoesNotContain("fallbackText\":\"pscale_tkn", personal.RawBody, StringComparison.Ordinal);
        Assert.False(Bot.LogsContain(secret));
        Assert.DoesNotContain(await AuditAsync(), e => e.Command.Contains(secret, StringComparison.Ordinal) || e.Outcome.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_command_outside_the_bound_channel_is_denied_and_changes_nothing()
    {
        var before = await Sandbox.GrantsByResourceAsync(Ci);
        var activity = ActivityJson.Message(Connector.ServiceUrl, $"<at>pscale</at> service-token add-access {Ci} connect_branch --database staging", "groupChat");
        Assert.Equal(HttpStatusCode.OK, (await SendValidAsync(activity)).StatusCode);

        var reply = await Connector.WaitForAsync(c => c.ActivityType == "message" && c.DecodedPath.EndsWith("/activities/" + activity["id"], StringComparison.Ordinal));

        Assert.Contains("Not allowed here", reply.RawBody, StringComparison.Ordinal);
        AssertSameGrants(before, await Sandbox.GrantsByResourceAsync(Ci));
    }

    [Fact]
    public async Task The_outgoing_webhook_answers_a_read_with_the_real_pipeline()
    {
        var activity = ActivityJson.Message("https://smba.trafficmanager.net/amer/", $"<at>pscale</at> service-token show-access {Ci}");
        activity.Remove("entities");
        var body = Encoding.UTF8.GetBytes(activity.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/teams/webhook") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TryAddWithoutValidation("Authorization", OutgoingWebhookSignature.Sign(body, TeamsBotFactory.WebhookSecret));

        var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        AssertSameGrants(await Sandbox.GrantsByResourceAsync(Ci), PermissionRows(reply["attachments"]![0]!["content"]!.AsObject()));
        Assert.Empty(Connector.Calls);
    }
}
