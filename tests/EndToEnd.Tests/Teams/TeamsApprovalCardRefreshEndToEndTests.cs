using System.Net;
using System.Text.Json.Nodes;
using PscaleBot.Bot.Tests.Teams.Support;
using PscaleBot.Commands.Access;

namespace PscaleBot.EndToEnd.Tests.Teams;

/// <summary>
/// Universal Actions on the approval card over real HTTP: the card everyone sees has the status and no buttons, and
/// lists the approver (whom the bot has seen) in <c>refresh.userIds</c>; the refresh invoke gives the approver Approve
/// and Deny, and anyone else, the requester included, the status.
/// </summary>
public sealed class TeamsApprovalCardRefreshEndToEndTests : TeamsApprovalEndToEndBase
{
    protected override Dictionary<string, string?> ExtraSettings => new() { ["Teams:ServiceUrl"] = Connector.ServiceUrl };

    [Fact]
    public async Task Approvers_see_the_buttons_and_everyone_else_the_status()
    {
        // The approver has talked to the bot, so their Teams member id is known.
        var hello = ActivityJson.Message(Connector.ServiceUrl, "<at>pscale</at> whoami");
        hello["from"] = new JsonObject { ["id"] = "29:approver-mri", ["name"] = "Bob Approver", ["aadObjectId"] = ApproverAad };
        Assert.Equal(HttpStatusCode.OK, (await SendValidAsync(hello)).StatusCode);
        await Connector.WaitForAsync(c => c.DecodedPath.EndsWith("/activities/" + hello["id"], StringComparison.Ordinal));

        await AskAsync($"service-token add-access {Token} connect_production_branch --database prod --for 1h --reason \"INC-9\"");
        var posted = await Connector.WaitForAsync(c => c.Method == "POST" && c.DecodedPath.EndsWith($"/v3/conversations/{AdminsChannelId}/activities", StringComparison.Ordinal) && c.Card is not null);

        Assert.Null(posted.Card!["actions"]);
        Assert.Contains("Waiting for 1 approval", posted.RawBody, StringComparison.Ordinal);
        var refresh = posted.Card!["refresh"]!;
        Assert.Equal(["29:approver-mri"], refresh["userIds"]!.AsArray().Select(u => u!.GetValue<string>()));
        var requestId = refresh["action"]!["data"]!["id"]!.GetValue<string>();

        var approverView = await RefreshAsync(requestId, "29:approver-mri", "Bob Approver", ApproverAad);
        Assert.Equal([AccessActionIds.Approve, AccessActionIds.Deny], approverView["actions"]!.AsArray().Select(a => a!["verb"]!.GetValue<string>()));
        Assert.NotNull(approverView["refresh"]);

        var requesterView = await RefreshAsync(requestId, "29:user-mri", "Alice Example", ActivityJson.UserAad);
        Assert.Null(requesterView["actions"]);
        Assert.Contains("Waiting for 1 approval", requesterView.ToJsonString(), StringComparison.Ordinal);
    }

    private async Task<JsonObject> RefreshAsync(string requestId, string mri, string name, string aad)
    {
        var invoke = ActivityJson.Invoke(Connector.ServiceUrl, "pscale.access.view");
        invoke["from"] = new JsonObject { ["id"] = mri, ["name"] = name, ["aadObjectId"] = aad };
        invoke["conversation"]!["id"] = AdminsChannelId + ";messageid=card-1";
        invoke["channelData"]!["channel"]!["id"] = AdminsChannelId;
        invoke["value"]!["action"]!["data"]!["id"] = requestId;
        invoke["value"]!["trigger"] = "automatic";
        var response = await SendValidAsync(invoke);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", body["type"]!.GetValue<string>());
        return body["value"]!.AsObject();
    }
}
