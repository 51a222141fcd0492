using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;
using static PscaleBot.Commands.Tests.Policy.PolicyTestData;

namespace PscaleBot.Commands.Tests.Policy;

public sealed class PolicyEvaluatorTests
{
    private const string Yaml = """
        roles:
          viewer:
            commands: [list, show, show-access]
          oncall:
            commands: [list, show, show-access, add-access, delete-access]
            organizations: [acme]
            databases: ["prod-*", "staging-*"]
            permissions: [read_branch, connect_branch, connect_production_branch, "read_*"]
            max_duration: 4h
            approval:
              required_for:
                permissions: [connect_production_branch]
                databases: ["prod-*"]
              approvers: [role:db-admin, slack:user:ULEAD1, slack:user:ULEAD2]
              min_approvals: 2
              default_duration: 1h
              max_duration: 2h
              break_glass: true
              request_channels: { slack: "slack:channel:CADMINS" }
          single-approval:
            commands: [add-access]
            organizations: [acme]
            databases: ["prod-*"]
            permissions: [read_branch]
            approval:
              approvers: [slack:usergroup:SLEADS]
              max_duration: 8h
          dev:
            commands: [add-access, delete-access]
            databases: ["dev-?"]
            permissions: [read_branch]
          creator:
            commands: [create]
            organizations: ["acme-*"]
          db-admin:
            commands: ["*"]
            databases: ["*"]
            permissions: ["*"]
          branch-reader:
            commands: [add-access]
            databases: ["*"]
            permissions: [read_branch]
          branch-connector:
            commands: [add-access]
            databases: ["*"]
            permissions: [connect_branch]

        bindings:
          - where: slack:channel:CONCALL
            who: slack:usergroup:SONCALL
            roles: [oncall]
          - where: [slack:channel:CONCALL, slack:channel:CDEV]
            who: "*"
            roles: [viewer]
          - where: slack:channel:CDEV
            who: slack:user:UDEV
            roles: [dev, creator]
          - where: slack:channel:CADMINS
            who: slack:usergroup:SLEADS
            roles: [db-admin]
          - where: slack:channel:CSPLIT
            who: slack:user:USPLIT
            roles: [branch-reader, branch-connector]
          - where: slack:channel:CPROD
            who: slack:user:UBOTH
            roles: [oncall, single-approval]
          - where: direct
            who: slack:user:UDM
            roles: [viewer]
          - where: shell
            who: "*"
            roles: [db-admin]
          - where: teams:team:TEAM1
            who: teams:user:AAD1
            roles: [viewer]
          - where: "*"
            who: slack:user:UEVERYWHERE
            roles: [viewer]
        """;

    private static readonly PolicyEvaluator Policy = Evaluator(Yaml);

    private static readonly ChatPlace OnCallChannel = Channel("CONCALL", "#db-oncall");
    private static readonly ChatPlace DevChannel = Channel("CDEV", "#dev");
    private static readonly ChatPlace AdminChannel = Channel("CADMINS", "#db-admins");
    private static readonly ChatPlace Random = Channel("CRANDOM", "#random");
    private static readonly ChatIdentity OnCaller = Slack("UONE", "SONCALL");
    private static readonly ChatIdentity Lead = Slack("ULEADX", "SLEADS");
    private static readonly ChatIdentity Nobody = Slack("UNOBODY");

    private sealed record Case(ChatIdentity Caller, ChatPlace Place, BotCommand Command, string Organization, string Expected);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        // Who and where: ids, groups, "*" on either side, direct chats, the shell, Teams team keys.
        ["anyone may read in a channel bound to who *"] = new(Nobody, OnCallChannel, List, "acme", "allowed: viewer"),
        ["group member gets the group's role plus the * role, binding order"] = new(OnCaller, OnCallChannel, List, "acme", "allowed: oncall, viewer"),
        ["no binding in this place points to places that allow it"] = new(Nobody, Random, List, "acme",
            "denied: you have no role in #random | ask in slack:channel:CONCALL or slack:channel:CDEV"),
        ["no binding and nowhere else"] = new(Nobody, Random, Create, "acme", "denied: you have no role in #random"),
        ["where * applies in any place"] = new(Slack("UEVERYWHERE"), Random, List, "acme", "allowed: viewer"),
        ["direct chat binding"] = new(Slack("UDM"), Direct, List, "acme", "allowed: viewer"),
        ["direct-only user in a channel is pointed to the direct chat"] = new(Slack("UDM"), Random, List, "acme",
            "denied: you have no role in #random | ask in slack:channel:CONCALL or slack:channel:CDEV or a direct message with the bot"),
        ["shell binding"] = new(ShellUser, ChatPlace.Shell, Delete, "acme", "allowed: db-admin"),
        ["slack user gets nothing from the shell binding"] = new(Nobody, Channel("CSHELL", "#shell"), Delete, "acme", "denied: you have no role in #shell"),
        ["teams team key matches any channel of the team"] = new(Teams("AAD1"), TeamsChannel("19:abc@thread.tacv2", "TEAM1"), List, "acme", "allowed: viewer"),
        ["teams user outside the team"] = new(Teams("AAD2"), TeamsChannel("19:abc@thread.tacv2", "TEAM1"), List, "acme", "denied: you have no role in General"),
        ["ids compare ignoring case"] = new(Slack("ueverywhere"), Random, List, "acme", "allowed: viewer"),
        ["display names never match"] = new(new ChatIdentity(ChatPlatform.Slack, "slack:user:UX", [], "UEVERYWHERE"), Random, Create, "acme",
            "denied: you have no role in #random"),

        // help and whoami are always allowed.
        ["help with no role"] = new(Nobody, Random, Help, "acme", "allowed: "),
        ["whoami lists roles"] = new(OnCaller, OnCallChannel, WhoAmI, "other-org", "allowed: oncall, viewer"),

        // Sub-commands.
        ["sub-command outside every role here"] = new(Nobody, OnCallChannel, Delete, "acme",
            "denied: `delete` is not allowed for you in #db-oncall (roles here: viewer) | here you may run: list, show, show-access"),
        ["sub-command granted elsewhere names that place"] = new(Lead, OnCallChannel, Delete, "acme",
            "denied: `delete` is not allowed for you in #db-oncall (roles here: viewer) | here you may run: list, show, show-access; or ask in slack:channel:CADMINS"),
        ["several roles: denial lists them and all commands here"] = new(Slack("UDEV"), DevChannel, Delete, "acme",
            "denied: `delete` is not allowed for you in #dev (roles here: viewer, dev, creator) | here you may run: list, show, show-access, create, add-access, delete-access"),
        ["star commands allow everything"] = new(Lead, AdminChannel, Delete, "acme", "allowed: db-admin"),

        // Organizations: omitted means the default organization only (issue 9, finding 15: deny by default); globs.
        ["organizations omitted allow the default organization"] = new(Nobody, OnCallChannel, List, "acme", "allowed: viewer"),
        ["organizations omitted allow no other organization"] = new(Nobody, OnCallChannel, List, "whatever",
            "denied: organization `whatever` is outside your roles' organizations here (acme)"),
        ["organizations omitted allow no look-alike of the default"] = new(Nobody, OnCallChannel, List, "acme-labs",
            "denied: organization `acme-labs` is outside your roles' organizations here (acme)"),
        ["organization outside the role's list"] = new(OnCaller, OnCallChannel, AddAccess("staging-a", "1h", "read_branch"), "other",
            "denied: organization `other` is outside your roles' organizations here (acme)"),
        ["organization glob matches"] = new(Slack("UDEV"), DevChannel, Create, "acme-labs", "allowed: creator"),
        ["organization glob needs its suffix"] = new(Slack("UDEV"), DevChannel, Create, "acme",
            "denied: organization `acme` is outside your roles' organizations here (acme-*)"),

        // Databases: globs, '?', case.
        ["database glob, no approval rule applies, within max_duration"] = new(OnCaller, OnCallChannel, AddAccess("staging-main", "2h", "read_branch"), "acme", "allowed: oncall"),
        ["database outside the role's globs"] = new(OnCaller, OnCallChannel, AddAccess("analytics", "1h", "read_branch"), "acme",
            "denied: database `analytics` is outside your roles' databases here (prod-*, staging-*)"),
        ["? matches one character"] = new(Slack("UDEV"), DevChannel, AddAccess("dev-1", "", "read_branch"), "acme", "allowed: dev"),
        ["? does not match two"] = new(Slack("UDEV"), DevChannel, AddAccess("dev-12", "", "read_branch"), "acme",
            "denied: database `dev-12` is outside your roles' databases here (dev-?)"),
        ["capitals do not dodge an approval rule"] = new(OnCaller, OnCallChannel, AddAccess("PROD-Main", "1h", "read_branch"), "acme",
            "approval: oncall (rule of oncall, 2 approvals, max 2h)"),
        ["organization-level grant has no database to check"] = new(Lead, AdminChannel, AddAccess(null, "", "read_organization"), "acme", "allowed: db-admin"),

        // Permissions: names, globs, one role must cover the whole request.
        ["permission glob read_*"] = new(OnCaller, OnCallChannel, AddAccess("staging-a", "1h", "read_deploy_request"), "acme", "allowed: oncall"),
        ["permission outside the role"] = new(OnCaller, OnCallChannel, AddAccess("staging-a", "1h", "delete_branch"), "acme",
            "denied: permission `delete_branch` is not allowed for role oncall"),
        ["several permissions outside the role"] = new(OnCaller, OnCallChannel, AddAccess("staging-a", "1h", "read_branch", "delete_branch", "create_branch"), "acme",
            "denied: permissions `delete_branch`, `create_branch` are not allowed for role oncall"),
        ["two roles are not combined to cover one request"] = new(Slack("USPLIT"), Channel("CSPLIT", "#split"), AddAccess("x", "", "read_branch", "connect_branch"), "acme",
            "denied: permission `connect_branch` is not allowed for role branch-reader; permission `read_branch` is not allowed for role branch-connector (one role must allow the whole request by itself) | ask for the permissions in separate add-access commands, one role's worth each"),
        ["each part alone is allowed"] = new(Slack("USPLIT"), Channel("CSPLIT", "#split"), AddAccess("x", "", "connect_branch"), "acme", "allowed: branch-connector"),
        ["delete-access checks permissions too"] = new(OnCaller, OnCallChannel, DeleteAccess("staging-a", "delete_branch"), "acme",
            "denied: permission `delete_branch` is not allowed for role oncall"),
        ["delete-access needs neither approval nor --for"] = new(OnCaller, OnCallChannel, DeleteAccess("prod-a", "connect_production_branch"), "acme", "allowed: oncall"),

        // Durations without approval.
        ["role with max_duration requires --for"] = new(OnCaller, OnCallChannel, AddAccess("staging-a", "", "read_branch"), "acme",
            "denied: role oncall grants only time-bound access, at most 4h | add `--for 4h` or less"),
        ["--for beyond the role's max_duration"] = new(OnCaller, OnCallChannel, AddAccess("staging-a", "6h", "read_branch"), "acme",
            "denied: `--for 6h` is longer than the maximum of 4h for role oncall | add `--for 4h` or less"),
        ["--for equal to the maximum is allowed"] = new(OnCaller, OnCallChannel, AddAccess("staging-a", "4h", "read_branch"), "acme", "allowed: oncall"),
        ["role without max_duration allows a permanent grant"] = new(Slack("UDEV"), DevChannel, AddAccess("dev-1", "", "read_branch"), "acme", "allowed: dev"),

        // Approval rules.
        ["approval applies by database"] = new(OnCaller, OnCallChannel, AddAccess("prod-main", "1h", "read_branch"), "acme",
            "approval: oncall (rule of oncall, 2 approvals, max 2h)"),
        ["approval applies by permission"] = new(OnCaller, OnCallChannel, AddAccess("staging-a", "1h", "connect_production_branch"), "acme",
            "approval: oncall (rule of oncall, 2 approvals, max 2h)"),
        ["approval without --for uses the rule's default later"] = new(OnCaller, OnCallChannel, AddAccess("prod-main", "", "read_branch"), "acme",
            "approval: oncall (rule of oncall, 2 approvals, max 2h)"),
        ["--for beyond the approval maximum"] = new(OnCaller, OnCallChannel, AddAccess("prod-main", "3h", "read_branch"), "acme",
            "denied: `--for 3h` is longer than the maximum of 2h for role oncall | add `--for 2h` or less"),
        ["break-glass where the rule allows it"] = new(OnCaller, OnCallChannel, BreakGlass("prod-main", "1h", "read_branch"), "acme", "allowed: oncall"),
        ["break-glass must be time-bound"] = new(OnCaller, OnCallChannel, BreakGlass("prod-main", "", "read_branch"), "acme",
            "denied: break-glass grants must be time-bound: role oncall allows at most 2h | add `--for 2h` or less"),
        ["break-glass where no rule applies is an ordinary grant"] = new(OnCaller, OnCallChannel, BreakGlass("staging-a", "1h", "read_branch"), "acme", "allowed: oncall"),

        // Precedence across roles.
        ["fewest approvals wins among gated roles"] = new(Slack("UBOTH"), Channel("CPROD", "#prod"), AddAccess("prod-x", "1h", "read_branch"), "acme",
            "approval: single-approval, oncall (rule of single-approval, 1 approvals, max 8h)"),
        ["allowed without approval beats approval"] = new(Slack("UBOTH"), Channel("CPROD", "#prod"), AddAccess("staging-x", "1h", "read_branch"), "acme", "allowed: oncall"),
        ["a role whose maximum is too short gives way to one that can approve longer"] = new(Slack("UBOTH"), Channel("CPROD", "#prod"), AddAccess("prod-x", "3h", "read_branch"), "acme",
            "approval: single-approval (rule of single-approval, 1 approvals, max 8h)"),
        ["break-glass not allowed by the covering role falls back to approval"] = new(Slack("UBOTH"), Channel("CPROD", "#prod"), BreakGlass("prod-x", "3h", "read_branch"), "acme",
            "approval: single-approval (rule of single-approval, 1 approvals, max 8h)"),
        ["break-glass allowed by one role wins over approval by another"] = new(Slack("UBOTH"), Channel("CPROD", "#prod"), BreakGlass("prod-x", "1h", "read_branch"), "acme", "allowed: oncall"),
        ["db-admin grants anything at once"] = new(Lead, AdminChannel, AddAccess("prod-main", "", "delete_production_branch"), "acme", "allowed: db-admin"),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Decides_the_matrix(string name)
    {
        var c = Cases[name];

        var decision = Policy.Authorize(c.Caller, c.Place, c.Command, c.Organization);

        Assert.Equal(c.Expected, Describe(decision));
    }

    [Fact]
    public void Approval_requirement_carries_the_rule_as_written()
    {
        var decision = Assert.IsType<PolicyDecision.NeedsApproval>(
            Policy.Authorize(OnCaller, OnCallChannel, AddAccess("prod-main", "1h", "read_branch"), "acme"));

        var r = decision.Requirement;
        Assert.Equal("oncall", r.Role);
        Assert.Equal(["role:db-admin", "slack:user:ULEAD1", "slack:user:ULEAD2"], r.Approvers);
        Assert.Equal(2, r.RequiredApprovals);
        Assert.Equal(TimeSpan.FromHours(1), r.DefaultDuration);
        Assert.Equal(TimeSpan.FromHours(2), r.MaxDuration);
        Assert.True(r.BreakGlassAllowed);
        Assert.False(r.ReasonRequired);
        Assert.Equal("slack:channel:CADMINS", r.RequestChannels[ChatPlatform.Slack]);
        Assert.False(r.RequestChannels.ContainsKey(ChatPlatform.Teams));
        Assert.Equal(TimeSpan.FromHours(1), r.RequestTimeout);
        Assert.False(r.OnCallAutoApprove);
    }

    [Fact]
    public void Roles_for_lists_each_role_once_in_binding_order()
    {
        Assert.Equal(["oncall", "viewer"], Policy.RolesFor(OnCaller, OnCallChannel));
        Assert.Equal(["viewer", "dev", "creator"], Policy.RolesFor(Slack("UDEV"), DevChannel));
        Assert.Empty(Policy.RolesFor(Nobody, Random));
    }

    [Theory]
    [InlineData("UONE", "SONCALL", "CONCALL", "add-access", true)]
    [InlineData("UNOBODY", "", "CONCALL", "add-access", false)]
    [InlineData("UNOBODY", "", "CONCALL", "show", true)]
    [InlineData("UNOBODY", "", "CRANDOM", "help", true)]
    [InlineData("UNOBODY", "", "CRANDOM", "whoami", true)]
    [InlineData("UNOBODY", "", "CRANDOM", "list", false)]
    [InlineData("ULEADX", "SLEADS", "CADMINS", "access-approve", true)]
    public void Allows_sub_command_for_help(string user, string group, string channel, string command, bool expected)
    {
        var caller = group.Length == 0 ? Slack(user) : Slack(user, group);

        Assert.Equal(expected, Policy.AllowsSubCommand(caller, Channel(channel, "#" + channel), command));
    }

    [Theory]
    [InlineData("ULEADX", "SLEADS", "CADMINS", true)]    // role:db-admin, bound in the admins channel
    [InlineData("ULEADX", "SLEADS", "CONCALL", false)]   // the same person where db-admin is not bound
    [InlineData("ULEAD1", "", "CRANDOM", true)]           // named user, any place
    [InlineData("ulead2", "", "CONCALL", true)]           // ids ignore case
    [InlineData("UONE", "SONCALL", "CONCALL", false)]     // the requester's own role does not make an approver
    [InlineData("UNOBODY", "", "CADMINS", false)]
    public void Is_approver(string user, string group, string channel, bool expected)
    {
        var requirement = Assert.IsType<PolicyDecision.NeedsApproval>(
            Policy.Authorize(OnCaller, OnCallChannel, AddAccess("prod-main", "1h", "read_branch"), "acme")).Requirement;
        var approver = group.Length == 0 ? Slack(user) : Slack(user, group);

        Assert.Equal(expected, Policy.IsApprover(approver, Channel(channel, "#" + channel), requirement));
    }

    [Fact]
    public void Approver_group_entry_matches_members()
    {
        var requirement = Assert.IsType<PolicyDecision.NeedsApproval>(
            Policy.Authorize(Slack("UBOTH"), Channel("CPROD", "#prod"), AddAccess("prod-x", "1h", "read_branch"), "acme")).Requirement;

        Assert.True(Policy.IsApprover(Slack("USOMEONE", "SLEADS"), Random, requirement));
        Assert.False(Policy.IsApprover(Slack("USOMEONE", "SOTHER"), Random, requirement));
    }

    [Fact]
    public void Teams_caller_is_not_pointed_to_slack_places()
    {
        var policy = Evaluator("""
            roles:
              viewer: { commands: [list] }
            bindings:
              - where: [slack:channel:CX, teams:channel:19:ok@thread.tacv2]
                who: "*"
                roles: [viewer]
            """);

        var decision = Assert.IsType<PolicyDecision.Denied>(
            policy.Authorize(Teams("AAD9"), TeamsChannel("19:other@thread.tacv2", "T1"), List, "acme"));

        Assert.Equal("ask in teams:channel:19:ok@thread.tacv2", decision.Alternative);
    }

    [Fact]
    public void Empty_policy_denies_everything_but_help()
    {
        var policy = Evaluator("""
            roles:
              viewer: { commands: [list] }
            bindings: []
            """);

        Assert.IsType<PolicyDecision.Denied>(policy.Authorize(ShellUser, ChatPlace.Shell, List, "acme"));
        Assert.IsType<PolicyDecision.Allowed>(policy.Authorize(ShellUser, ChatPlace.Shell, Help, "acme"));
    }

    [Theory]
    [InlineData("acme", true)]
    [InlineData("ACME", true)]
    [InlineData("other-co", true)]
    public void Organizations_written_as_star_allow_every_organization(string organization, bool allowed)
    {
        var policy = Evaluator("""
            roles:
              viewer: { commands: [list], organizations: ["*"] }
            bindings:
              - { where: shell, who: "*", roles: [viewer] }
            """);

        Assert.Equal(allowed, policy.Authorize(ShellUser, ChatPlace.Shell, List, organization) is PolicyDecision.Allowed);
    }

    [Fact]
    public void A_role_without_organizations_allows_none_when_the_bot_has_no_default_organization()
    {
        var policy = Evaluator("""
            roles:
              viewer: { commands: [list] }
            bindings:
              - { where: shell, who: "*", roles: [viewer] }
            """, defaultOrganization: null);

        var denied = Assert.IsType<PolicyDecision.Denied>(policy.Authorize(ShellUser, ChatPlace.Shell, List, "acme"));
        Assert.Equal("organization `acme` is outside your roles' organizations here (none)", denied.Reason);
    }
}
