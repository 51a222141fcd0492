using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PscaleBot.Bot.Tests.Teams.Support;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Results;
using static PscaleBot.Bot.Tests.Teams.Access.AccessSamples;

namespace PscaleBot.Bot.Tests.Teams.Access;

/// <summary>Approve/Deny/Extend clicks (Action.Execute invokes and legacy Action.Submit messages) run the typed command through the pipeline.</summary>
public sealed class TeamsAccessActionHandlerTests : TeamsTestBase
{
    private readonly InMemoryAccessStore store = new();

    private HttpClient ClientWithStore() => Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
    {
        s.RemoveAll<IAccessStore>();
        s.AddSingleton<IAccessStore>(store);
    })).CreateClient();

    private JsonObject Click(string verb, JsonObject data, string? id = null)
    {
        var invoke = ActivityJson.Invoke(Connector.ServiceUrl, verb, id);
        invoke["value"]!["action"]!["data"] = data;
        return invoke;
    }

    private async Task<JsonNode> InvokeAsync(HttpClient client, JsonObject invoke)
    {
        var response = await client.SendAsync(ActivityJson.Post("/api/messages", invoke, OpenId.MintBotFramework(Connector.ServiceUrl)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [Fact]
    public async Task Approve_runs_the_typed_command_as_the_clicker_and_the_card_shows_the_outcome()
    {
        await store.InsertRequestAsync(Approved(), CancellationToken.None);
        Factory.Pipeline.Respond = _ => SampleResults.Public(new MessageResult("Request r-7kq2 approved.", MessageTone.Success));
        using var client = ClientWithStore();

        var body = await InvokeAsync(client, Click(AccessActionIds.Approve, new JsonObject { ["id"] = "r-7kq2" }));

        var request = Assert.Single(Factory.Pipeline.Prepared);
        Assert.Equal("access approve r-7kq2", request.Text);
        Assert.Equal($"teams:user:{ActivityJson.UserAad}", request.Caller.UserId);
        Assert.Equal($"teams:channel:{ActivityJson.ChannelId}", request.Place.PrimaryId);
        Assert.Equal("application/vnd.microsoft.card.adaptive", body["type"]!.GetValue<string>());
        Assert.Contains("Approved by Bob Approver at 2026-11-28 18:03 UTC", body["value"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Null(body["value"]!["actions"]);
    }

    [Fact]
    public async Task A_non_approver_is_told_they_cannot_approve_and_the_card_stays()
    {
        await store.InsertRequestAsync(Request(), CancellationToken.None);
        Factory.Pipeline.Respond = _ => SampleResults.Public(new ErrorResult("Your roles here don't allow access-approve.", null, null, ErrorCategory.Denied));
        using var client = ClientWithStore();

        var body = await InvokeAsync(client, Click(AccessActionIds.Approve, new JsonObject { ["id"] = "r-7kq2" }));

        Assert.Equal("application/vnd.microsoft.activity.message", body["type"]!.GetValue<string>());
        Assert.Equal("You cannot approve this: Your roles here don't allow access-approve.", body["value"]!.GetValue<string>());
        Assert.DoesNotContain(Connector.Calls, c => c.Method == "PUT");
    }

    [Fact]
    public async Task A_redelivered_invoke_runs_the_command_once()
    {
        await store.InsertRequestAsync(Approved(), CancellationToken.None);
        using var client = ClientWithStore();
        var click = Click(AccessActionIds.Approve, new JsonObject { ["id"] = "r-7kq2" });

        var first = await InvokeAsync(client, click);
        var second = await InvokeAsync(client, click);

        Assert.Equal(first.ToJsonString(), second.ToJsonString());
        Assert.Equal(1, Factory.Pipeline.Executions);
    }

    [Fact]
    public async Task Extend_passes_the_duration_of_the_button()
    {
        using var client = ClientWithStore();
        Factory.Pipeline.Respond = _ => SampleResults.Public(new MessageResult("Grant g-9xyz now ends at 19:00 UTC."));

        var body = await InvokeAsync(client, Click(AccessActionIds.Extend, new JsonObject { ["id"] = "g-9xyz", ["for"] = "1h" }));

        Assert.Equal("access extend g-9xyz --for 1h", Assert.Single(Factory.Pipeline.Prepared).Text);
        Assert.Equal("Grant g-9xyz now ends at 19:00 UTC.", body["value"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("r-7kq2 --public")]
    [InlineData("")]
    [InlineData("r-7kq2; access revoke g-1")]
    public async Task A_button_with_a_malformed_id_runs_nothing(string id)
    {
        using var client = ClientWithStore();

        var body = await InvokeAsync(client, Click(AccessActionIds.Approve, new JsonObject { ["id"] = id, ["for"] = "1h; rm" }));

        Assert.Equal(400, body["statusCode"]!.GetValue<int>());
        Assert.Empty(Factory.Pipeline.Prepared);
    }

    [Fact]
    public async Task A_legacy_action_submit_runs_the_command_and_replaces_the_clicked_card()
    {
        await store.InsertRequestAsync(Approved(), CancellationToken.None);
        using var client = ClientWithStore();
        var submit = ActivityJson.Message(Connector.ServiceUrl, "");
        submit.Remove("entities");
        submit["replyToId"] = "card-activity-7";
        submit["value"] = new JsonObject { ["verb"] = AccessActionIds.Approve, ["id"] = "r-7kq2" };

        var response = await client.SendAsync(ActivityJson.Post("/api/messages", submit, OpenId.MintBotFramework(Connector.ServiceUrl)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var put = await Connector.WaitForAsync(c => c.Method == "PUT");
        Assert.EndsWith("/activities/card-activity-7", put.DecodedPath, StringComparison.Ordinal);
        Assert.Contains("Approved by Bob Approver", put.RawBody, StringComparison.Ordinal);
        Assert.Equal("access approve r-7kq2", Assert.Single(Factory.Pipeline.Prepared).Text);
    }

    [Fact]
    public async Task A_legacy_submit_refused_by_policy_answers_in_the_thread_and_leaves_the_card()
    {
        Factory.Pipeline.Respond = _ => SampleResults.Public(new ErrorResult("Your roles here don't allow access-deny.", null, null, ErrorCategory.Denied));
        using var client = ClientWithStore();
        var submit = ActivityJson.Message(Connector.ServiceUrl, "");
        submit.Remove("entities");
        submit["replyToId"] = "card-activity-8";
        submit["value"] = new JsonObject { ["verb"] = AccessActionIds.Deny, ["id"] = "r-7kq2" };

        await client.SendAsync(ActivityJson.Post("/api/messages", submit, OpenId.MintBotFramework(Connector.ServiceUrl)));

        var reply = await Connector.WaitForAsync(c => c.ActivityType == "message" && c.DecodedPath.EndsWith("/activities/" + submit["id"], StringComparison.Ordinal));
        Assert.Equal("You cannot deny this: Your roles here don't allow access-deny.", reply.Body!["text"]!.GetValue<string>());
        Assert.DoesNotContain(Connector.Calls, c => c.Method == "PUT");
    }
}
