namespace PscaleBot.EndToEnd.Tests.Slack;

/// <summary>Slack users and channels of the end-to-end policy.</summary>
public static class SlackPeople
{
    public const string Team = "T0ACME";
    public const string Ops = "C0OPS";
    public const string OnCall = "C0ONCALL";
    public const string Admins = "C0ADMINS";
    public const string Alice = "U0ALICE";     // token admin in #ops, on call in #oncall
    public const string Bob = "U0BOB";         // reader in #ops
    public const string Boss = "U0BOSS";       // approver
    public const string Boss2 = "U0BOSS2";     // approver
    public const string Mallory = "U0MALLORY"; // may run access commands in #admins but is not an approver
}

/// <summary>A policy binding Slack channels and users, with an approval-gated role.</summary>
public static class SlackPolicies
{
    public const string Standard = """
        roles:
          token-admin:
            commands: [list, show, show-access, create, delete, add-access, delete-access]
            databases: ["*"]
            permissions: ["*"]
          reader:
            commands: [list, show, show-access]
          oncall:
            commands: [show-access, add-access, access-list, access-cancel]
            databases: [prod]
            permissions: [read_branch, connect_production_branch]
            approval:
              required_for: always
              approvers: [slack:user:U0BOSS, slack:user:U0BOSS2]
              min_approvals: 1
              default_duration: 1h
              max_duration: 4h
              request_channels:
                slack: slack:channel:C0ADMINS
              request_timeout: 30m
          approver:
            commands: [access-list, access-approve, access-deny, access-revoke]
        bindings:
          - where: slack:channel:C0OPS
            who: slack:user:U0ALICE
            roles: [token-admin]
          - where: slack:channel:C0OPS
            who: slack:user:U0BOB
            roles: [reader]
          - where: slack:channel:C0ONCALL
            who: slack:user:U0ALICE
            roles: [oncall]
          - where: slack:channel:C0ADMINS
            who: [slack:user:U0BOSS, slack:user:U0BOSS2, slack:user:U0MALLORY]
            roles: [approver]
        """;
}
