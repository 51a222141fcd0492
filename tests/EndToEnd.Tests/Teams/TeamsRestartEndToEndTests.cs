using System.Text.Json.Nodes;
using PscaleBot.Bot.Tests.Teams.Support;

namespace PscaleBot.EndToEnd.Tests.Teams;

/// <summary>
/// Issue 10 §1 and §3 (restart): the Teams conversation references and approval cards are kept in the store, so a
/// restarted bot still posts proactively to a channel it saw only before the restart, and still replaces the card it
/// posted then. No <c>Teams:ServiceUrl</c> is configured: the stored references are the only way there.
/// </summary>
public sealed class TeamsRestartEndToEndTests : TeamsApprovalEndToEndBase
{
    [Fact]
    public async Task After_a_restart_the_bot_still_posts_to_the_approvers_channel_and_replaces_the_card_it_posted_before()
    {
        // The approvers' channel is seen once, before the restart.
        await SendValidAsync(ApproverMessage("<at>pscale</at> access list"));
        await Connector.WaitForAsync(c => c.ActivityType == "message" && c.DecodedPath.Contains($"/v3/conversations/{AdminsChannelId}", StringComparison.Ordinal));
        var before = await FileRequestAsync(previousCard: null);

        await RestartBotAsync();

        // The card posted before the restart is replaced when its request settles (one pending request per grant, so first).
        await AskAsync($"access cancel {before.RequestId}");
        var replaced = await Connector.WaitForAsync(c => c.Method == "PUT" && c.DecodedPath.EndsWith($"/v3/conversations/{AdminsChannelId}/activities/{before.ActivityId}", StringComparison.Ordinal));
        Assert.Null(replaced.Card!["actions"]);
        Assert.Contains("Cancelled by", replaced.RawBody, StringComparison.Ordinal);

        // A new request's card still reaches the channel last seen before the restart.
        var after = await FileRequestAsync(previousCard: before.ActivityId);
        Assert.NotEqual(before.RequestId, after.RequestId);
    }

    /// <summary>Files a request from #dbops and waits for its approval card in the approvers' channel.</summary>
    private async Task<(string RequestId, string ActivityId)> FileRequestAsync(string? previousCard)
    {
        await AskAsync($"service-token add-access {Token} connect_production_branch --database prod --for 1h --reason \"INC-42\"");
        var posted = await Connector.WaitForAsync(c => c.Method == "POST" && c.AnsweredId != previousCard
            && c.DecodedPath.EndsWith($"/v3/conversations/{AdminsChannelId}/activities", StringComparison.Ordinal) && c.Card?["refresh"] is not null);
        // Everyone sees the status; the card's refresh (which carries the request id) gives approvers the buttons.
        return (posted.Card!["refresh"]!["action"]!["data"]!["id"]!.GetValue<string>(), posted.AnsweredId!);
    }

    private JsonObject ApproverMessage(string text)
    {
        var message = ActivityJson.Message(Connector.ServiceUrl, text);
        message["from"] = new JsonObject { ["id"] = "29:approver-mri", ["name"] = "Bob Approver", ["aadObjectId"] = ApproverAad };
        message["conversation"]!["id"] = AdminsChannelId + ";messageid=1700000000000";
        message["channelData"]!["channel"]!["id"] = AdminsChannelId;
        message["channelData"]!["channel"]!["name"] = "db-admins";
        return message;
    }
}
