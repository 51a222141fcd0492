using PscaleBot.Bot.Tests.Teams.Support;
using PscaleBot.EndToEnd.Tests.Teams;

namespace PscaleBot.EndToEnd.Tests.Replicas;

/// <summary>
/// The replicas' policy: Slack's end-to-end people (Alice asks in #oncall, Boss and Boss2 approve in #admins, Alice is
/// token admin in #ops) and a Teams on-call role in #dbops whose requests are approved in the Teams admins' channel.
/// </summary>
public static class ReplicaPolicy
{
    /// <summary>The policy file.</summary>
    public static readonly string Yaml = $"""
        roles:
          token-admin:
            commands: [list, show, show-access, create, delete, add-access, delete-access]
            databases: ["*"]
            permissions: ["*"]
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
          teams-oncall:
            commands: [show-access, add-access, access-list, access-cancel]
            databases: [prod]
            permissions: [connect_production_branch]
            approval:
              required_for: always
              approvers: [teams:user:{TeamsEndToEndBase.ApproverAad}]
              min_approvals: 1
              default_duration: 1h
              max_duration: 4h
              request_channels:
                teams: teams:channel:{TeamsEndToEndBase.AdminsChannelId}
              request_timeout: 30m
          approver:
            commands: [access-list, access-approve, access-deny, access-revoke]
        bindings:
          - where: slack:channel:C0OPS
            who: slack:user:U0ALICE
            roles: [token-admin]
          - where: slack:channel:C0ONCALL
            who: slack:user:U0ALICE
            roles: [oncall]
          - where: slack:channel:C0ADMINS
            who: [slack:user:U0BOSS, slack:user:U0BOSS2]
            roles: [approver]
          - where: teams:channel:{ActivityJson.ChannelId}
            who: teams:user:{ActivityJson.UserAad}
            roles: [teams-oncall]
          - where: teams:channel:{TeamsEndToEndBase.AdminsChannelId}
            who: teams:user:{TeamsEndToEndBase.ApproverAad}
            roles: [approver]
        """;
}
