using PscaleBot.Bot.Tests.Teams.Support;

namespace PscaleBot.EndToEnd.Tests.Teams;

/// <summary>
/// <see cref="TeamsEndToEndBase"/> under an approval-gated policy: the caller in #dbops holds <c>oncall</c>, whose
/// <c>prod</c> access needs one approval from <see cref="TeamsEndToEndBase.ApproverAad"/>, posted to the admins' channel.
/// </summary>
public abstract class TeamsApprovalEndToEndBase : TeamsEndToEndBase
{
    /// <summary>The service token the tests ask access for.</summary>
    protected const string Token = "ci7deploy0a1";

    protected override string PolicyYaml => $"""
        roles:
          oncall:
            commands: [show-access, add-access, access-list, access-cancel]
            databases: [prod]
            permissions: [connect_production_branch]
            max_duration: 4h
            approval:
              required_for:
                databases: [prod]
              approvers: [teams:user:{ApproverAad}]
              min_approvals: 1
              default_duration: 1h
              max_duration: 4h
              request_channels:
                teams: teams:channel:{AdminsChannelId}
              request_timeout: 30m
          approver:
            commands: [access-list, access-approve, access-deny, access-revoke]
        bindings:
          - where: teams:channel:{ActivityJson.ChannelId}
            who: teams:user:{ActivityJson.UserAad}
            roles: [oncall]
          - where: teams:channel:{AdminsChannelId}
            who: teams:user:{ApproverAad}
            roles: [approver]
        """;
}
