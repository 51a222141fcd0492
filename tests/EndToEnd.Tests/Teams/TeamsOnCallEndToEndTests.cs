using PscaleBot.Bot.Tests.Slack.Fakes;
using PscaleBot.Bot.Tests.Teams.Support;
using PscaleBot.Sandbox.OnCall;

namespace PscaleBot.EndToEnd.Tests.Teams;

/// <summary>
/// On-call auto-approval for a Teams requester over real HTTP: the bot reads their Entra mail and user principal name
/// from the (fake) Bot Connector's roster and matches either against the sandbox's PagerDuty on-call list.
/// </summary>
public sealed class TeamsOnCallEndToEndTests : TeamsApprovalEndToEndBase
{
    private const string Mail = "alice@example.com";
    private const string PrincipalName = "alice.example@contoso.onmicrosoft.com";
    private const string Ask = $"service-token add-access {Token} connect_production_branch --database prod --for 1h --reason \"INC-77\"";

    protected override string PolicyYaml => """
        oncall:
          pagerduty:
            schedule_ids: [PSCHED1]
        """ + "\n" + base.PolicyYaml.Replace("      request_timeout: 30m", "      request_timeout: 30m\n      oncall_auto_approve: true", StringComparison.Ordinal);

    protected override Dictionary<string, string?> ExtraSettings => new()
    {
        ["Teams:ServiceUrl"] = Connector.ServiceUrl,
        // Generous: a busy test machine must not turn a healthy service into a timeout.
        ["OnCall:Timeout"] = "00:00:20",
    };

    [Theory]
    [InlineData(PrincipalName)]
    [InlineData(Mail)]
    public async Task A_requester_on_call_under_their_principal_name_or_mail_is_auto_approved(string onCallAs)
    {
        Connector.Members[ActivityJson.UserAad] = (Mail, PrincipalName);
        Bot.Sandbox.OnCall.SetPagerDuty([new PagerDutyShift(onCallAs, "PSCHED1", "PEP1", 1, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(8))]);

        var reply = await AskAsync(Ask);

        Assert.DoesNotContain("filed", reply.Body!.Raw(), StringComparison.Ordinal);
        Assert.Contains("connect_production_branch", (await Sandbox.GrantsByResourceAsync(Token))["prod"]);
        Assert.Contains(Connector.Calls, c => c.Method == "GET" && c.DecodedPath.EndsWith($"/members/{ActivityJson.UserAad}", StringComparison.Ordinal));
        Assert.Contains(await AuditAsync(), e => e.Command.Contains($"on call as pagerduty:schedule:PSCHED1:level 1 ({onCallAs})", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_requester_the_roster_does_not_know_goes_to_approvers_who_are_told_why()
    {
        Bot.Sandbox.OnCall.SetPagerDuty([new PagerDutyShift(Mail, "PSCHED1", "PEP1", 1, null, null)]);

        var reply = await AskAsync(Ask);

        Assert.Contains("filed", reply.Body!.Raw(), StringComparison.Ordinal);
        var card = await Connector.WaitForAsync(c => c.Method == "POST" && c.DecodedPath.EndsWith($"/v3/conversations/{AdminsChannelId}/activities", StringComparison.Ordinal) && c.Card is not null);
        Assert.Contains("does not know the requester's email address on Teams", card.Body!.Raw(), StringComparison.Ordinal);
        Assert.DoesNotContain("connect_production_branch", (await Sandbox.GrantsByResourceAsync(Token)).GetValueOrDefault("prod") ?? []);
        Assert.Equal(0, Bot.Sandbox.OnCall.PagerDutyCalls);
    }
}
