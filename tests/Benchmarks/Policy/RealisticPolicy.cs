using System.Text;

namespace PscaleBot.Benchmarks.Policy;

/// <summary>
/// A policy file the size of a large organisation's: 20 roles (viewers, per-team developers with database globs and
/// permission globs, approval-gated on-call roles, admins) and 100 bindings over Slack channels, Teams channels and
/// teams, direct chats, user groups, users and <c>*</c>.
/// </summary>
public static class RealisticPolicy
{
    /// <summary>Teams (and Slack channels C0000…C0049) the generated bindings cover.</summary>
    public const int Teams = 16;

    /// <summary>The YAML text.</summary>
    public static string Yaml { get; } = Build();

    private static string Build()
    {
        var y = new StringBuilder();
        y.AppendLine("roles:");
        y.AppendLine("""
              viewer:
                description: Read service tokens and their accesses
                commands: [list, show, show-access, access-list]
              approver:
                commands: [access-list, access-approve, access-deny, access-revoke]
              db-admin:
                commands: ["*"]
                databases: ["*"]
                permissions: ["*"]
              oncall:
                commands: [list, show, show-access, add-access, delete-access, access-list, access-extend, access-cancel]
                organizations: [acme]
                databases: ["prod-*", "staging-*"]
                permissions: [read_branch, connect_branch, connect_production_branch, connect_production_read_only_branch, read_deploy_request]
                max_duration: 4h
                approval:
                  required_for:
                    permissions: [connect_production_branch]
                    databases: ["prod-*"]
                  approvers: [role:db-admin, slack:usergroup:S0DBLEADS]
                  min_approvals: 2
                  default_duration: 1h
                  max_duration: 4h
                  reason_required: true
                  break_glass: true
                  request_channels:
                    slack: slack:channel:C0456ADMINS
                    teams: teams:channel:19:admins@thread.tacv2
                  request_timeout: 30m
            """);
        for (var team = 0; team < Teams; team++)
        {
            y.AppendLine($"""
                  team{team:D2}-dev:
                    commands: [list, show, show-access, add-access, delete-access, access-list, access-cancel]
                    organizations: [acme, "acme-*"]
                    databases: ["team{team:D2}-*", "staging-team{team:D2}-*", "dev-*"]
                    permissions: ["read_*", connect_branch, create_branch, "*_deploy_request"]
                    max_duration: 8h
                """);
        }

        y.AppendLine("bindings:");
        var bindings = 0;
        for (var team = 0; team < Teams; team++)
        {
            // Per team: the developers' channel (developers + everyone as viewers), a Teams channel, a Teams team,
            // on-call, and one named user; 6 bindings each.
            y.AppendLine($"""
                  - where: slack:channel:C{team:D4}DEV
                    who: slack:usergroup:S{team:D4}DEVS
                    roles: [team{team:D2}-dev]
                  - where: [slack:channel:C{team:D4}DEV, slack:channel:C{team:D4}OPS]
                    who: "*"
                    roles: [viewer]
                  - where: teams:channel:19:team{team:D2}-general@thread.tacv2
                    who: teams:group:00000000-0000-0000-0000-0000000{team:D5}
                    roles: [team{team:D2}-dev]
                  - where: teams:team:19:team{team:D2}@thread.tacv2
                    who: "*"
                    roles: [viewer]
                  - where: slack:channel:C{team:D4}OPS
                    who: [slack:usergroup:S{team:D4}ONCALL, slack:user:U{team:D4}LEAD]
                    roles: [oncall]
                  - where: direct
                    who: slack:user:U{team:D4}LEAD
                    roles: [viewer]
                """);
            bindings += 6;
        }

        for (var extra = 0; bindings < 99; extra++, bindings++)
        {
            y.AppendLine($"""
                  - where: slack:channel:C9{extra:D3}MISC
                    who: [slack:user:U9{extra:D3}A, slack:user:U9{extra:D3}B, slack:usergroup:S9{extra:D3}]
                    roles: [{(extra % 3 == 0 ? "approver" : "viewer")}]
                """);
        }

        y.AppendLine("""
              - where: slack:channel:C0456ADMINS
                who: slack:usergroup:S0DBLEADS
                roles: [db-admin, approver]
            """);
        return y.ToString();
    }
}
