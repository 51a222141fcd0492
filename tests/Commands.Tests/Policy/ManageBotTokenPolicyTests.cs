using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;
using static PscaleBot.Commands.Tests.Policy.PolicyTestData;

namespace PscaleBot.Commands.Tests.Policy;

/// <summary>Issue 9, finding 14: changing the bot's own token takes a separately named role key, <c>manage_bot_token</c>.</summary>
public sealed class ManageBotTokenPolicyTests
{
    private const string Yaml = """
        roles:
          admin:
            commands: ["*"]
            databases: ["*"]
            permissions: ["*"]
          bot-keeper:
            commands: [delete, delete-access]
            permissions: ["*"]
            manage_bot_token: true
        bindings:
          - where: slack:channel:CADMINS
            who: slack:user:UADMIN
            roles: [admin]
          - where: slack:channel:CADMINS
            who: slack:user:UKEEPER
            roles: [bot-keeper]
        """;

    private static readonly ChatPlace Admins = Channel("CADMINS", "#admins");

    [Fact]
    public void Only_a_role_with_manage_bot_token_that_allows_the_command_may_change_the_bots_token()
    {
        var policy = Evaluator(Yaml);

        Assert.False(policy.MayManageBotToken(Slack("UADMIN"), Admins, Delete, "acme"));
        Assert.True(policy.MayManageBotToken(Slack("UKEEPER"), Admins, Delete, "acme"));
        Assert.True(policy.MayManageBotToken(Slack("UKEEPER"), Admins, DeleteAccess(null, "write_service_tokens"), "acme"));
        Assert.False(policy.MayManageBotToken(Slack("UKEEPER"), Admins, AddAccess(null, "1h", "write_service_tokens"), "acme"));
        Assert.False(policy.MayManageBotToken(Slack("UKEEPER"), Channel("COTHER", "#other"), Delete, "acme"));
    }

    [Fact]
    public void Manage_bot_token_must_be_true_or_false()
    {
        var result = PolicyFileLoader.Parse(Yaml.Replace("manage_bot_token: true", "manage_bot_token: yes", StringComparison.Ordinal));

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.ToString().Contains("manage_bot_token must be true or false", StringComparison.Ordinal));
    }

    [Fact]
    public void The_policy_interface_fails_closed_for_implementations_that_say_nothing()
    {
        IAuthorizationPolicy silent = new SilentPolicy();

        Assert.False(silent.MayManageBotToken(Slack("UADMIN"), Channel("CADMINS", "#admins"), new DeleteTokenCommand(CommonOptions.Default, "x"), "acme"));
    }

    private sealed class SilentPolicy : IAuthorizationPolicy
    {
        public PolicyDecision Authorize(ChatIdentity caller, ChatPlace place, BotCommand command, string organization) =>
            new PolicyDecision.Allowed(["all"]);

        public IReadOnlyList<string> RolesFor(ChatIdentity caller, ChatPlace place) => [];

        public bool AllowsSubCommand(ChatIdentity caller, ChatPlace place, string policyName) => true;

        public bool IsApprover(ChatIdentity approver, ChatPlace place, ApprovalRequirement requirement) => false;
    }
}
