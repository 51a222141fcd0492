using System.Net;
using System.Text.Json.Nodes;
using PscaleBot.Bot.Tests.Teams.Support;
using PscaleBot.Commands.Access;

namespace PscaleBot.EndToEnd.Tests.Teams;

/// <summary>
/// The approval flow in Teams over real HTTP: an @mention asks for time-bound access under an approval-gated role,
/// the approval card appears in the approvers' channel, a signed <c>adaptiveCard/action</c> invoke from an approver
/// approves it, the grant shows in the sandbox, the card shows the outcome and the requester is told privately.
/// </summary>
public sealed class TeamsAccessRequestEndToEndTests : TeamsApprovalEndToEndBase
{
    // The bot has never seen the admins' channel in this test, so it posts there through the configured serviceUrl.
    protected override Dictionary<string, string?> ExtraSettings => new() { ["Teams:ServiceUrl"] = Connector.ServiceUrl };

    [Fact]
    public async Task A_request_is_approved_from_its_card_and_the_grant_reaches_the_sandbox()
    {
        Assert.DoesNotContain("connect_production_branch", (await Sandbox.GrantsByResourceAsync(Token)).GetValueOrDefault("prod") ?? []);

        var filed = await AskAsync($"service-token add-access {Token} connect_production_branch --database prod --for 1h --reason \"INC-42 hot fix\"");
        Assert.Contains("filed", filed.RawBody, StringComparison.Ordinal);

        var posted = await Connector.WaitForAsync(c => c.Method == "POST" && c.DecodedPath.EndsWith($"/v3/conversations/{AdminsChannelId}/activities", StringComparison.Ordinal) && c.Card is not null);
        // Everyone sees the status; the card's refresh (which carries the request id) gives approvers the buttons.
        var requestId = posted.Card!["refresh"]!["action"]!["data"]!["id"]!.GetValue<string>();
        var cardActivityId = posted.AnsweredId!;

        var response = await SendAsync(ApproverInvoke(AccessActionIds.Approve, requestId, cardActivityId), OpenId.MintBotFramework(Connector.ServiceUrl));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", body["type"]!.GetValue<string>());
        Assert.Contains("Approved by Bob Approver at", body["value"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("connect_production_branch", (await Sandbox.GrantsByResourceAsync(Token))["prod"]);

        var replaced = await Connector.WaitForAsync(c => c.Method == "PUT" && c.DecodedPath.EndsWith("/activities/" + cardActivityId, StringComparison.Ordinal));
        Assert.Null(replaced.Card!["actions"]);
        Assert.Contains("Approved by Bob Approver", replaced.RawBody, StringComparison.Ordinal);

        var opened = await Connector.WaitForAsync(c => c.Method == "POST" && c.DecodedPath.EndsWith("/v3/conversations", StringComparison.Ordinal));
        Assert.Equal("29:user-mri", opened.Body!["members"]![0]!["id"]!.GetValue<string>());
        var told = await Connector.WaitForAsync(c => c.DecodedPath.Contains("/v3/conversations/a:personal-", StringComparison.Ordinal));
        Assert.Contains(requestId, told.RawBody, StringComparison.Ordinal);

        // A second click (a new invoke, not a re-delivery) settles nothing again: PlanetScale was asked once.
        var again = await SendAsync(ApproverInvoke(AccessActionIds.Approve, requestId, cardActivityId), OpenId.MintBotFramework(Connector.ServiceUrl));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Single(Outbound.To(Bot.Sandbox.BaseAddress), r => r.Method == HttpMethod.Post && r.Uri.AbsolutePath.EndsWith($"/service-tokens/{Token}/access", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_requester_cannot_approve_their_own_request_and_the_card_stays()
    {
        await AskAsync($"service-token add-access {Token} connect_production_branch --database prod --for 1h --reason \"INC-42\"");
        var posted = await Connector.WaitForAsync(c => c.Method == "POST" && c.DecodedPath.EndsWith($"/v3/conversations/{AdminsChannelId}/activities", StringComparison.Ordinal) && c.Card is not null);
        var requestId = posted.Card!["refresh"]!["action"]!["data"]!["id"]!.GetValue<string>();

        // Alice clicks Approve on her own request from #dbops, where she holds no approver role.
        var invoke = ApproverInvoke(AccessActionIds.Approve, requestId, "x");
        invoke["from"] = new JsonObject { ["id"] = "29:user-mri", ["name"] = "Alice Example", ["aadObjectId"] = ActivityJson.UserAad };
        var response = await SendAsync(invoke, OpenId.MintBotFramework(Connector.ServiceUrl));

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("application/vnd.microsoft.activity.message", body["type"]!.GetValue<string>());
        Assert.StartsWith("You cannot approve this", body["value"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("connect_production_branch", (await Sandbox.GrantsByResourceAsync(Token)).GetValueOrDefault("prod") ?? []);
        Assert.DoesNotContain(Connector.Calls, c => c.Method == "PUT");
    }

    private JsonObject ApproverInvoke(string verb, string requestId, string cardActivityId)
    {
        var invoke = ActivityJson.Invoke(Connector.ServiceUrl, verb);
        invoke["from"] = new JsonObject { ["id"] = "29:approver-mri", ["name"] = "Bob Approver", ["aadObjectId"] = ApproverAad };
        invoke["conversation"]!["id"] = AdminsChannelId + ";messageid=" + cardActivityId;
        invoke["channelData"]!["channel"]!["id"] = AdminsChannelId;
        invoke["channelData"]!["channel"]!["name"] = "db-admins";
        invoke["replyToId"] = cardActivityId;
        invoke["value"]!["action"]!["data"] = new JsonObject { ["id"] = requestId };
        return invoke;
    }
}
