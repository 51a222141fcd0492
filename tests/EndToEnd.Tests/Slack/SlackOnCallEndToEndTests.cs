using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Bot.Tests.Slack.Fakes;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Audit;
using PscaleBot.Sandbox.OnCall;
using static PscaleBot.EndToEnd.Tests.Slack.SlackPeople;

namespace PscaleBot.EndToEnd.Tests.Slack;

/// <summary>
/// On-call auto-approval from PagerDuty and Opsgenie, end to end over real HTTP: a signed Slack command from Alice,
/// her email read from the fake Slack's <c>users.info</c>, who is on call read from the sandbox's PagerDuty and
/// Opsgenie with their real API-key headers, the grant made in the sandbox's PlanetScale. When the service is down,
/// slow or refuses the key, the request goes to the approvers with the reason, and Alice sees only "filed".
/// </summary>
public sealed class SlackOnCallEndToEndTests
{
    private const string Token = "an4lyt1csro0";
    private const string AliceEmail = "alice@example.com";
    private const string Command = $"service-token add-access {Token} read_branch --database prod --for 2h --reason \"INC-9 on call\"";
    private static readonly DateTimeOffset Long = DateTimeOffset.UtcNow;

    [Fact]
    public async Task Someone_on_call_in_PagerDuty_at_the_listed_level_is_auto_approved_and_the_grant_reaches_the_sandbox()
    {
        await using var bot = await StartAsync(PagerDutyPolicy);
        bot.Bot.Sandbox.OnCall.SetPagerDuty([Shift(AliceEmail, level: 1)]);

        var answer = await AskAsync(bot);

        Assert.DoesNotContain("filed", answer, StringComparison.Ordinal);
        Assert.Contains("read_branch", (await bot.SandboxApi.GrantsAsync(Token)).Single(g => g.ResourceName == "prod").Accesses);
        Assert.Single(await bot.Bot.Services.GetRequiredService<IAccessStore>().ListActiveGrantsAsync(CancellationToken.None));
        var auto = Assert.Single(await AuditAsync(bot), e => e.Command.Contains("on call as", StringComparison.Ordinal));
        Assert.Contains($"pagerduty:schedule:PSCHED1:level 1 ({AliceEmail})", auto.Command, StringComparison.Ordinal);
        Assert.DoesNotContain(bot.Slack.PostedMessages, m => m.Channel == Admins && HasButtons(m.Body));
        Assert.Equal(1, bot.Bot.Sandbox.OnCall.PagerDutyCalls);
        await AssertNoSecretAnywhereAsync(bot, OnCallRota.PagerDutyApiKey);
    }

    [Fact]
    public async Task Someone_on_call_in_Opsgenie_is_auto_approved()
    {
        await using var bot = await StartAsync(OpsgeniePolicy);
        bot.Bot.Sandbox.OnCall.SetOpsgenie("ops-primary", ["ALICE@example.com"]);

        var answer = await AskAsync(bot);

        Assert.DoesNotContain("filed", answer, StringComparison.Ordinal);
        Assert.Contains("read_branch", (await bot.SandboxApi.GrantsAsync(Token)).Single(g => g.ResourceName == "prod").Accesses);
        Assert.Contains(await AuditAsync(bot), e => e.Command.Contains("opsgenie:schedule:ops-primary", StringComparison.Ordinal));
        await AssertNoSecretAnywhereAsync(bot, OnCallRota.OpsgenieApiKey);
    }

    [Fact]
    public async Task Someone_not_on_call_goes_to_the_approvers_as_usual_with_no_reason_line()
    {
        await using var bot = await StartAsync(PagerDutyPolicy);
        // On call, but at level 2: the policy trusts level 1 only.
        bot.Bot.Sandbox.OnCall.SetPagerDuty([Shift(AliceEmail, level: 2), Shift("bob@example.com", level: 1)]);

        var answer = await AskAsync(bot);

        Assert.Contains("filed", answer, StringComparison.Ordinal);
        var post = await RequestPostAsync(bot);
        Assert.DoesNotContain("auto-approval", post, StringComparison.Ordinal);
        Assert.DoesNotContain(await bot.SandboxApi.GrantsAsync(Token), g => g.ResourceName == "prod");
        Assert.Equal(1, bot.Bot.Sandbox.OnCall.PagerDutyCalls);
    }

    [Theory]
    [InlineData("down", "PagerDuty answered 500 InternalServerError, so on-call auto-approval was skipped.")]
    [InlineData("slow", "PagerDuty did not answer within 1 s, so on-call auto-approval was skipped.")]
    [InlineData("unauthorised", "PagerDuty refused the bot's API key (401), so on-call auto-approval was skipped; an admin should check OnCall:PagerDuty:ApiKey.")]
    [InlineData("unreachable", "PagerDuty could not be reached, so on-call auto-approval was skipped.")]
    public async Task A_failing_PagerDuty_sends_the_request_to_approvers_with_the_reason_and_the_requester_sees_no_error(string failure, string reason)
    {
        const string WrongKey = "pd-wrong-key-7f3a9c1e";
        var settings = new Dictionary<string, string?>();
        switch (failure)
        {
            case "slow":
                settings["OnCall:Timeout"] = "00:00:01";
                break;
            case "unauthorised":
                settings["OnCall:PagerDuty:ApiKey"] = WrongKey;
                break;
            case "unreachable":
                settings["OnCall:PagerDuty:BaseUrl"] = ClosedPortUrl();
                break;
        }

        await using var bot = await StartAsync(PagerDutyPolicy, settings);
        bot.Bot.Sandbox.OnCall.SetPagerDuty([Shift(AliceEmail, level: 1)]);
        bot.Bot.Sandbox.OnCall.Fault = failure switch
        {
            "down" => OnCallFault.ServerError,
            "slow" => OnCallFault.Slow,
            _ => OnCallFault.None,
        };

        var answer = await AskAsync(bot);

        // Alice's answer is the ordinary one: nothing about PagerDuty, no error.
        Assert.Contains("filed", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("PagerDuty", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("error", answer, StringComparison.OrdinalIgnoreCase);
        // The approvers read why on-call did not apply.
        Assert.Contains(reason, await RequestPostAsync(bot), StringComparison.Ordinal);
        Assert.DoesNotContain(await bot.SandboxApi.GrantsAsync(Token), g => g.ResourceName == "prod");
        await AssertNoSecretAnywhereAsync(bot, WrongKey);
        await AssertNoSecretAnywhereAsync(bot, OnCallRota.PagerDutyApiKey);
    }

    [Fact]
    public async Task A_requester_whose_email_Slack_withholds_goes_to_approvers_who_are_told_why()
    {
        await using var bot = await StartAsync(PagerDutyPolicy);
        bot.Slack.UserEmails[Alice] = null;
        bot.Bot.Sandbox.OnCall.SetPagerDuty([Shift(AliceEmail, level: 1)]);

        var answer = await AskAsync(bot);

        Assert.Contains("filed", answer, StringComparison.Ordinal);
        Assert.Contains("does not know the requester's email address on Slack", await RequestPostAsync(bot), StringComparison.Ordinal);
        Assert.Equal(0, bot.Bot.Sandbox.OnCall.PagerDutyCalls);
    }

    private const string PagerDutyOnCall = """
        oncall:
          pagerduty:
            schedule_ids: [PSCHED1]
            escalation_levels: [1]
        """;

    private const string OpsgenieOnCall = """
        oncall:
          opsgenie:
            schedule_ids: [ops-primary]
        """;

    private static string PagerDutyPolicy => PagerDutyOnCall + "\n" + AutoApprovingPolicy;

    private static string OpsgeniePolicy => OpsgenieOnCall + "\n" + AutoApprovingPolicy;

    /// <summary>The standard end-to-end policy with on-call auto-approval on the oncall role.</summary>
    private static string AutoApprovingPolicy => SlackPolicies.Standard.Replace(
        "      request_timeout: 30m",
        "      request_timeout: 30m\n      oncall_auto_approve: true",
        StringComparison.Ordinal);

    private static PagerDutyShift Shift(string email, int level) =>
        new(email, "PSCHED1", "PEP1", level, Long.AddHours(-1), Long.AddHours(8));

    private static async Task<SlackBot> StartAsync(string policy, Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            // Generous: a busy test machine must not turn a healthy service into a timeout; the slow case sets its own.
            ["OnCall:Timeout"] = "00:00:20",
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        var bot = await SlackBot.StartAsync(policy, settings: all);
        bot.Slack.UserEmails[Alice] = AliceEmail;
        return bot;
    }

    /// <summary>Alice asks in #oncall; her private answer's text.</summary>
    private static async Task<string> AskAsync(SlackBot bot)
    {
        var reply = bot.NewResponseId();
        var ack = await bot.CommandAsync(Alice, OnCall, Command, reply);
        Assert.Equal(HttpStatusCode.OK, ack.Status);
        var answer = (await bot.WaitForPostsAsync(reply, seconds: 60))[0];
        Assert.Equal("ephemeral", (string?)answer["response_type"]);
        return answer.Raw();
    }

    /// <summary>The request as posted to the approvers' channel, with its Approve / Deny buttons.</summary>
    private static async Task<string> RequestPostAsync(SlackBot bot)
    {
        await Eventually.TrueAsync(() => bot.Slack.PostedMessages.Any(m => m.Channel == Admins && HasButtons(m.Body)), "the request posted to the approvers' channel", 30);
        return bot.Slack.PostedMessages.Single(m => m.Channel == Admins && HasButtons(m.Body)).Body.Raw();
    }

    private static bool HasButtons(JsonObject message) =>
        message["blocks"] is JsonArray blocks && blocks.OfType<JsonObject>().Any(b => (string?)b["type"] == "actions");

    private static async Task<IReadOnlyList<AuditEntry>> AuditAsync(SlackBot bot)
    {
        using var scope = bot.Bot.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<IAuditLog>().RecentAsync(500, CancellationToken.None);
    }

    /// <summary>The key is in no log record, audit row, Slack call or response_url post.</summary>
    private static async Task AssertNoSecretAnywhereAsync(SlackBot bot, string secret)
    {
        Assert.False(bot.Bot.LogsContain(secret), "an on-call API key reached the logs");
        Assert.DoesNotContain(await AuditAsync(bot), e => e.ToString().Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(bot.Slack.ApiCalls, c => c.Body.Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(bot.Slack.ResponseUrlPosts, p => p.Body.ToJsonString().Contains(secret, StringComparison.Ordinal));
    }

    private static string ClosedPortUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}/pagerduty";
    }
}
