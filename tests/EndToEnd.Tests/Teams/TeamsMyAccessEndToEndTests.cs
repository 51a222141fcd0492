using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Bot.Tests.Teams.Support;
using PscaleBot.Commands.Access;

namespace PscaleBot.EndToEnd.Tests.Teams;

/// <summary>
/// "My access" in the 1:1 chat over real HTTP: the requester sees their pending request with Cancel, the approver
/// sees it waiting for them with Approve, an approval clicked there grants in the sandbox, and the requester then
/// sees the grant with its time left and Revoke / Extend.
/// </summary>
public sealed class TeamsMyAccessEndToEndTests : TeamsApprovalEndToEndBase
{
    protected override Dictionary<string, string?> ExtraSettings => new() { ["Teams:ServiceUrl"] = Connector.ServiceUrl };

    /// <summary>The base policy, with the approver's role also bound in 1:1 chats (approving from "My access").</summary>
    protected override string PolicyYaml => base.PolicyYaml + $"""

          - where: direct
            who: teams:user:{ApproverAad}
            roles: [approver]
          - where: direct
            who: teams:user:{ActivityJson.UserAad}
            roles: [oncall]
        """;

    [Fact]
    public async Task The_requester_sees_a_pending_request_with_cancel_and_cancelling_it_from_there_works()
    {
        var requestId = await FileRequestAsync();

        var mine = await AskAsync("my access", "personal");

        var card = mine.Card!.ToJsonString();
        Assert.Contains("Your pending requests", card, StringComparison.Ordinal);
        var cancel = Buttons(mine.Card!).Single(b => b["verb"]!.GetValue<string>() == "pscale.access.cancel");
        Assert.Equal(requestId, cancel["data"]!["id"]!.GetValue<string>());
        Assert.Contains("Nothing is waiting for you.", card, StringComparison.Ordinal);

        var response = await SendValidAsync(Click("pscale.access.cancel", requestId, "29:user-mri", "Alice Example", ActivityJson.UserAad));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        using var scope = Bot.Services.CreateScope();
        var request = await scope.ServiceProvider.GetRequiredService<IAccessStore>().GetRequestAsync(requestId, CancellationToken.None);
        Assert.Equal(AccessRequestState.Cancelled, request!.State);
    }

    [Fact]
    public async Task The_approver_approves_from_my_access_and_the_requester_then_sees_the_grant_with_time_left()
    {
        var requestId = await FileRequestAsync();

        var approverView = await AskAsAsync("my access", "29:approver-mri", "Bob Approver", ApproverAad);
        Assert.Contains("Waiting for your approval", approverView.RawBody, StringComparison.Ordinal);
        Assert.Contains(Buttons(approverView.Card!), b => b["verb"]!.GetValue<string>() == AccessActionIds.Approve && b["data"]!["id"]!.GetValue<string>() == requestId);

        var approved = await SendValidAsync(Click(AccessActionIds.Approve, requestId, "29:approver-mri", "Bob Approver", ApproverAad));
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Contains("connect_production_branch", (await Sandbox.GrantsByResourceAsync(Token))["prod"]);

        var mine = await AskAsync("my access", "personal");
        Assert.Contains("Active grants", mine.RawBody, StringComparison.Ordinal);
        Assert.Contains("ends in 5", mine.RawBody, StringComparison.Ordinal);
        Assert.Contains(Buttons(mine.Card!), b => b["verb"]!.GetValue<string>() == AccessActionIds.Revoke);
        Assert.Contains(Buttons(mine.Card!), b => b["verb"]!.GetValue<string>() == AccessActionIds.Extend && b["data"]!["for"]!.GetValue<string>() == "1h");
    }

    [Fact]
    public async Task In_a_channel_my_access_points_to_the_1_to_1_chat_and_shows_nothing_there()
    {
        var requestId = await FileRequestAsync();

        var reply = await AskAsync("my access");

        Assert.Null(reply.Card);
        Assert.Contains("only in your 1:1 chat", reply.RawBody, StringComparison.Ordinal);
        Assert.DoesNotContain(requestId, reply.RawBody, StringComparison.Ordinal);
    }

    private async Task<string> FileRequestAsync()
    {
        await AskAsync($"service-token add-access {Token} connect_production_branch --database prod --for 59m --reason \"INC-7\"");
        var posted = await Connector.WaitForAsync(c => c.Method == "POST" && c.DecodedPath.EndsWith($"/v3/conversations/{AdminsChannelId}/activities", StringComparison.Ordinal) && c.Card is not null);
        return posted.Card!["refresh"]!["action"]!["data"]!["id"]!.GetValue<string>();
    }

    private async Task<ConnectorCall> AskAsAsync(string text, string mri, string name, string aad)
    {
        var activity = ActivityJson.Message(Connector.ServiceUrl, text, "personal");
        activity["from"] = new JsonObject { ["id"] = mri, ["name"] = name, ["aadObjectId"] = aad };
        activity["conversation"]!["id"] = "a:personal-" + aad;
        Assert.Equal(HttpStatusCode.OK, (await SendValidAsync(activity)).StatusCode);
        var id = activity["id"]!.GetValue<string>();
        return await Connector.WaitForAsync(c => c.ActivityType == "message" && c.DecodedPath.EndsWith("/activities/" + id, StringComparison.Ordinal));
    }

    private JsonObject Click(string verb, string id, string mri, string name, string aad)
    {
        var invoke = ActivityJson.Invoke(Connector.ServiceUrl, verb, conversationType: "personal");
        invoke["from"] = new JsonObject { ["id"] = mri, ["name"] = name, ["aadObjectId"] = aad };
        invoke["value"]!["action"]!["data"]!["id"] = id;
        return invoke;
    }

    private static List<JsonNode> Buttons(JsonObject card) =>
        [.. card["body"]!.AsArray()
            .Where(e => e!["type"]!.GetValue<string>() == "Container")
            .SelectMany(c => c!["items"]!.AsArray())
            .Where(i => i!["type"]!.GetValue<string>() == "ActionSet")
            .SelectMany(s => s!["actions"]!.AsArray())
            .Select(a => a!)];
}
