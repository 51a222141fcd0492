namespace PscaleBot.EndToEnd.Tests.Access;

/// <summary>The policy the access-request end-to-end tests run under.</summary>
internal static class AccessPolicies
{
    /// <summary>
    /// oliver is on call: time-bound access on prod, one db-admin approval. sam works under the two-person rule.
    /// ada and ben are db-admins: they approve, and may grant time-bound access themselves without approval.
    /// </summary>
    public const string OnCall = """
        roles:
          oncall:
            commands: [list, show-access, add-access, access-list, access-approve, access-extend, access-cancel, access-revoke]
            databases: [prod, staging]
            permissions: [read_branch, connect_branch, connect_production_branch, read_deploy_request]
            approval:
              required_for: always
              approvers: [role:db-admin]
              min_approvals: 1
              default_duration: 1h
              max_duration: 4h
              reason_required: true
              break_glass: true
              request_timeout: 30m
          sre:
            commands: [show-access, add-access, access-list, access-approve, access-cancel]
            databases: [prod]
            permissions: [connect_production_branch]
            approval:
              required_for: always
              approvers: [role:db-admin]
              min_approvals: 2
              default_duration: 1h
              max_duration: 2h
              reason_required: true
              request_timeout: 30m
          db-admin:
            commands: ["*"]
            databases: ["*"]
            permissions: ["*"]
        bindings:
          - where: shell
            who: shell:user:oliver
            roles: [oncall]
          - where: shell
            who: shell:user:sam
            roles: [sre]
          - where: shell
            who: [shell:user:ada, shell:user:ben]
            roles: [db-admin]
        """;
}
