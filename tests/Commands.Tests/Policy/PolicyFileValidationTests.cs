using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Commands.Tests.Policy;

public sealed class PolicyFileValidationTests
{
    private static string[] Errors(string yaml)
    {
        var result = PolicyFileLoader.Parse(yaml);
        Assert.False(result.IsValid);
        Assert.Null(result.Document);
        return [.. result.Errors.Select(e => e.ToString())];
    }

    [Fact]
    public void Reports_every_error_with_its_line_and_column()
    {
        var errors = Errors("""
            roles:
              oncall:
                commands: [list, lsit, add-access]
                databases: ["prod[0-9]"]
                permissions: [read_branches, "reed_*", connect_branch]
                max_duration: 2 hours
                permision: [read_branch]
            bindings:
              - where: ""
                who: slack:usergroup:S0ONCALL
                roles: [on-call]
            """);

        Assert.Equal(
        [
            "line 3, column 22: in role 'oncall': unknown sub-command 'lsit' (did you mean 'list'?)",
            "line 4, column 17: in role 'oncall': bad pattern 'prod[0-9]' in 'databases': '[' is not allowed; a pattern uses letters, digits, '-', '_', '.', '*' (any run) and '?' (one character)",
            "line 5, column 19: in role 'oncall': unknown permission 'read_branches' (did you mean 'read_branch'?)",
            "line 5, column 34: in role 'oncall': permission pattern 'reed_*' matches no permission",
            "line 6, column 19: in role 'oncall': max_duration '2 hours' is not a duration; write a number and a unit, like 30m, 2h, 1h30m or 7d",
            "line 7, column 5: unknown key 'permision' in role 'oncall' (did you mean 'permissions'?)",
            "line 9, column 12: in binding 1: 'where' is empty; name at least one place: slack:channel:C…, teams:channel:…, direct, shell or *",
            "line 11, column 13: in binding 1: unknown role 'on-call' (did you mean 'oncall'?)",
        ], errors);
    }

    [Fact]
    public void Syntax_error_names_its_line()
    {
        var errors = Errors("""
            roles:
              viewer:
                commands: [list]
               databases: [x]
            bindings: []
            """);

        var error = Assert.Single(errors);
        Assert.StartsWith("line 4, column ", error);
        Assert.Contains("YAML syntax error: ", error);
    }

    [Fact]
    public void Unclosed_bracket_at_the_end_is_a_syntax_error_not_a_crash()
    {
        var errors = Errors("""
            roles:
              viewer:
                commands: [list, show
            bindings: []
            """);

        var error = Assert.Single(errors);
        Assert.Equal("line 3, column 15: YAML syntax error: this '[' or '{' is never closed (or a quoted value never ends)", error);
    }

    [Fact]
    public void Duplicate_roles_and_keys_are_errors_with_the_first_line()
    {
        var errors = Errors("""
            roles:
              viewer:
                commands: [list]
                commands: [show]
              viewer:
                commands: [show]
            bindings:
              - where: shell
                who: "*"
                roles: [viewer]
                who: "*"
            """);

        Assert.Equal(
        [
            "line 4, column 5: duplicate key 'commands' (first on line 3); YAML keeps only one, so merge them",
            "line 5, column 3: duplicate key 'viewer' (first on line 2); YAML keeps only one, so merge them",
            "line 11, column 5: duplicate key 'who' (first on line 9); YAML keeps only one, so merge them",
        ], errors);
    }

    [Fact]
    public void Who_and_where_must_be_platform_ids()
    {
        var errors = Errors("""
            roles:
              viewer: { commands: [list] }
            bindings:
              - where: "#general"
                who: "@alice"
                roles: [viewer]
              - where: [slack:channel:C1, slack:room:C2]
                who: []
                roles: []
              - where: slack:channel:C1
                roles: [viewer]
              - shell
            """);

        Assert.Equal(
        [
            "line 4, column 12: in binding 1: '#general' is a channel name; use the channel id (slack:channel:C…, teams:channel:19:…), names change and are not unique",
            "line 5, column 10: in binding 1: '@alice' is a display name; use the platform id (slack:user:U…, slack:usergroup:S…, teams:user:<AAD object id>)",
            "line 7, column 31: in binding 2: 'slack:room:C2' is not a place; write one of slack:channel:…, teams:channel:…, teams:team:…, teams:chat:… or *, direct, shell",
            "line 8, column 10: in binding 2: 'who' is empty; name at least one identity: slack:user:U…, slack:usergroup:S…, teams:user:<id> or *",
            "line 9, column 12: in binding 2: 'roles' is empty",
            "line 10, column 5: missing 'who' in binding 3",
            "line 12, column 5: binding 4 must be a mapping with 'where:', 'who:' and 'roles:', not a single value",
        ], errors);
    }

    [Fact]
    public void Approval_settings_are_checked()
    {
        var errors = Errors("""
            roles:
              oncall:
                commands: [add-access]
                databases: ["*"]
                permissions: [read_branch]
                approval:
                  required_for: sometimes
                  approvers: [role:admins, slack:user:U1, "@bob"]
                  min_approvals: 0
                  default_duration: 8h
                  max_duration: 4h
                  request_timeout: 0m
                  break_glass: yes
                  request_channels: { slack: "#approvals", teams: teams:channel:19:a@thread.tacv2 }
                  oncall_auto_approve: true
              viewer:
                commands: [list]
                approval: { approvers: [slack:user:U1], max_duration: 1h }
            bindings: []
            """);

        Assert.Equal(
        [
            "line 7, column 21: in role 'oncall', approval: required_for must be 'always' or a mapping with 'permissions:' and/or 'databases:'",
            "line 8, column 19: in role 'oncall', approval: approver 'role:admins' names an unknown role",
            "line 8, column 47: in role 'oncall', approval: approver '@bob' is a display name; use the platform id (slack:user:U…, slack:usergroup:S…, teams:user:<AAD object id>), or role:<name>",
            "line 9, column 22: in role 'oncall', approval: min_approvals must be at least 1 (2 for the two-person rule), not 0",
            "line 10, column 25: in role 'oncall', approval: default_duration 8h is longer than max_duration 4h",
            "line 12, column 24: in role 'oncall', approval: request_timeout '0m' is not a duration; write a number and a unit, like 30m, 2h, 1h30m or 7d",
            "line 13, column 20: in role 'oncall', approval: break_glass must be true or false",
            "line 14, column 34: in role 'oncall', approval, request_channels: slack channel '#approvals' must be a channel id like slack:channel:…",
            "line 15, column 28: oncall_auto_approve needs the top-level 'oncall:' section with a schedule, pagerduty or opsgenie to consult",
            "line 18, column 15: in role 'viewer': 'approval' governs add-access, which this role does not allow; add it to 'commands' or remove 'approval'",
        ], errors);
    }

    [Fact]
    public void Two_person_rule_needs_enough_approvers()
    {
        var errors = Errors("""
            roles:
              oncall:
                commands: [add-access]
                approval:
                  approvers: [slack:user:U1]
                  min_approvals: 2
                  max_duration: 1h
            bindings: []
            """);

        Assert.Equal(
            ["line 6, column 22: in role 'oncall', approval: min_approvals is 2 but only 1 individual approver(s) are listed; no request could ever be approved"],
            errors);
    }

    [Fact]
    public void Approval_needs_approvers_and_a_maximum()
    {
        var errors = Errors("""
            roles:
              oncall:
                commands: [add-access]
                approval:
                  required_for: { databses: [prod] }
            bindings: []
            """);

        Assert.Equal(
        [
            "line 5, column 7: missing 'approvers' in role 'oncall', approval",
            "line 5, column 7: missing 'max_duration' in role 'oncall', approval",
            "line 5, column 21: in role 'oncall', approval, required_for: name 'permissions:' and/or 'databases:', or write 'required_for: always'",
            "line 5, column 23: unknown key 'databses' in role 'oncall', approval, required_for (did you mean 'databases'?)",
        ], errors);
    }

    [Theory]
    [InlineData("", "line 1, column 1: the policy file is empty; it needs 'roles:' and 'bindings:' (see deploy/policy.example.yaml)")]
    [InlineData("- a\n- b", "line 1, column 1: the policy file must be a mapping with 'roles:' and 'bindings:', not a list")]
    [InlineData("roles:\n  v: { commands: [list] }", "line 1, column 1: missing 'bindings' at the top level")]
    [InlineData("roles: {}\nbindings: []", "line 1, column 8: 'roles' is empty; declare at least one role")]
    [InlineData("roles: [viewer]\nbindings: []", "line 1, column 8: 'roles' must be a mapping of role names to roles")]
    [InlineData("roles:\n  v: { commands: [list] }\nbindings: {}", "line 3, column 11: 'bindings' must be a list of bindings (each starting with '- where:')")]
    [InlineData("roles:\n  v: { commands: [list] }\nbindings: []\nversion: 2", "line 4, column 1: unknown key 'version' at the top level (expected one of: roles, bindings, oncall)")]
    [InlineData("roles:\n  v: { commands: [list] }\nbindings: []\n---\nroles: {}", "line 4, column 1: the policy file holds more than one YAML document; keep one (remove the '---')")]
    [InlineData("roles:\n  v: { commands: {list: 1} }\nbindings: []", "line 2, column 18: in role 'v': 'commands' must be a list of values, not a mapping")]
    [InlineData("roles:\n  v: { description: x }\nbindings: []", "line 2, column 6: missing 'commands' in role 'v'")]
    [InlineData("roles:\n  v w: { commands: [list] }\nbindings: []", "line 2, column 3: role name 'v w' may use only letters, digits, '-' and '_'")]
    [InlineData("roles:\n  v: { commands: [\"acc*ss\"] }\nbindings: []", "line 2, column 19: in role 'v': command pattern 'acc*ss' matches no sub-command; known: list, show, show-access, stale, create, delete, add-access, delete-access, rotate, help, whoami, audit, audit-verify, access-list, access-approve, access-deny, access-revoke, access-extend, access-cancel")]
    [InlineData("roles:\n  v: { commands: [list] }\nbindings: []\noncall: schedule.yaml", "line 4, column 9: 'oncall' must be a mapping with 'schedule: <file>', 'pagerduty:' or 'opsgenie:', not a single value")]
    [InlineData("roles:\n  v: { commands: [list] }\nbindings: []\noncall: { file: x }", "line 4, column 9: 'oncall' needs at least one of 'schedule: <file>', 'pagerduty:' or 'opsgenie:'")]
    [InlineData("roles:\n  v: { commands: [list] }\nbindings: []\noncall: { pagerduty: { escalation_levels: [1] } }", "line 4, column 22: in 'oncall.pagerduty': name at least one PagerDuty id in 'schedule_ids' or 'escalation_policy_ids', or nobody could ever be on call")]
    [InlineData("roles:\n  v: { commands: [list] }\nbindings: []\noncall: { pagerduty: { schedule_ids: [P1], escalation_levels: [0] } }", "line 4, column 64: in 'oncall.pagerduty': escalation level 0 is not a level; PagerDuty levels start at 1")]
    [InlineData("roles:\n  v: { commands: [list] }\nbindings: []\noncall: { pagerduty: { schedule_ids: [P1], escalation_levels: 1 } }", "line 4, column 63: in 'oncall.pagerduty': 'escalation_levels' must be a non-empty list of levels, like [1] or [1, 2]")]
    [InlineData("roles:\n  v: { commands: [list] }\nbindings: []\noncall: { pagerduty: { schedule_ids: [\"P/1\"] } }", "line 4, column 39: in 'oncall.pagerduty': 'P/1' in 'schedule_ids' is not an id (letters, digits, '-' and '_' only)")]
    [InlineData("roles:\n  v: { commands: [list] }\nbindings: []\noncall: { opsgenie: { schedules: [x] } }", "line 4, column 23: unknown key 'schedules' in 'oncall.opsgenie' (expected one of: schedule_ids)")]
    [InlineData("roles:\n  v: { commands: [list] }\nbindings: []\noncall: { opsgenie: [x] }", "line 4, column 21: 'oncall.opsgenie' must be a mapping with 'schedule_ids', not a list")]
    public void Structure_errors(string yaml, string expected)
    {
        var errors = Errors(yaml.Replace("\\n", "\n", StringComparison.Ordinal));

        Assert.Contains(expected, errors);
    }

    [Fact]
    public void Valid_file_reads_every_setting()
    {
        var result = PolicyFileLoader.Parse("""
            oncall:
              schedule: schedules/oncall.yaml
            roles:
              oncall:
                description: On-call engineers
                commands: [add-access, "access-*"]
                organizations: [acme]
                databases: ["prod-*"]
                permissions: ["connect_*"]
                max_duration: 1h30m
                approval:
                  required_for: always
                  approvers: [role:oncall, teams:user:11111111-2222-3333-4444-555555555555]
                  min_approvals: 2
                  max_duration: 30m
                  reason_required: TRUE
                  break_glass: false
                  request_channels:
                    slack: slack:channel:C1
                    teams: "teams:channel:19:abc@thread.tacv2"
                  request_timeout: 2h
                  oncall_auto_approve: true
            bindings:
              - where: [slack:channel:C1, teams:chat:19:xyz@unq.gbl.spaces]
                who: [slack:usergroup:S1, teams:group:g-1]
                roles: [oncall, oncall]
            """, "/etc/pscale/policy.yaml");

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        var document = result.Document!;
        Assert.Equal("/etc/pscale/schedules/oncall.yaml", document.OnCall!.SchedulePath);
        var role = Assert.Single(document.Roles);
        Assert.Equal(4, role.Line);
        Assert.Equal(TimeSpan.FromMinutes(90), role.MaxDuration);
        Assert.True(role.Commands.IsMatch("access-approve"));
        Assert.False(role.Commands.IsMatch("delete"));
        Assert.True(role.Permissions.IsMatch("connect_production_branch"));
        Assert.False(role.Permissions.IsMatch("read_branch"));
        var requirement = role.Approval!.Requirement;
        Assert.True(role.Approval.RequiredFor.Always);
        Assert.Equal(TimeSpan.FromMinutes(30), requirement.DefaultDuration); // default capped by the maximum
        Assert.Equal(TimeSpan.FromMinutes(30), requirement.MaxDuration);
        Assert.True(requirement.ReasonRequired);
        Assert.False(requirement.BreakGlassAllowed);
        Assert.True(requirement.OnCallAutoApprove);
        Assert.Equal(TimeSpan.FromHours(2), requirement.RequestTimeout);
        Assert.Equal("teams:channel:19:abc@thread.tacv2", requirement.RequestChannels[ChatPlatform.Teams]);
        var binding = Assert.Single(document.Bindings);
        Assert.Equal(["oncall"], binding.Roles);
        Assert.Equal(24, binding.Line);
    }

    [Fact]
    public async Task Missing_file_is_an_error_naming_the_setting()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-policy-{Guid.NewGuid():N}.yaml");

        var result = await PolicyFileLoader.LoadAsync(path, CancellationToken.None);

        var error = Assert.Single(result.Errors);
        Assert.Equal("the file does not exist; create it (see deploy/policy.example.yaml) or point Policy:Path at it", error.ToString());
    }

    [Fact]
    public void The_READMEs_PagerDuty_and_Opsgenie_policy_example_is_valid_and_auto_approves_on_call()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "PscaleBot.slnx")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("repository root not found");
        }

        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var section = readme[readme.IndexOf("### On call from PagerDuty and Opsgenie", StringComparison.Ordinal)..];
        var start = section.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        var yaml = section[start..section.IndexOf("```", start, StringComparison.Ordinal)];

        var result = PolicyFileLoader.Parse(yaml);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        Assert.Equal(["PABC123"], result.Document!.OnCall!.PagerDuty!.ScheduleIds);
        Assert.NotNull(result.Document.OnCall.Opsgenie);
    }

    [Theory]
    [InlineData("policy.yaml")]
    [InlineData("deploy/policy.example.yaml")]
    public void Shipped_policy_files_are_valid(string relativePath)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "PscaleBot.slnx")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("repository root not found");
        }

        var result = PolicyFileLoader.Load(Path.Combine(root, relativePath));

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
    }

    [Fact]
    public void Anchors_and_aliases_are_resolved()
    {
        var result = PolicyFileLoader.Parse("""
            roles:
              viewer:
                commands: &reads [list, show]
              auditor:
                commands: *reads
            bindings:
              - { where: shell, who: "*", roles: [auditor] }
            """);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.True(result.Document!.FindRole("auditor")!.Commands.IsMatch("show"));
    }

    [Fact]
    public void Unknown_alias_is_a_syntax_error()
    {
        var errors = Errors("""
            roles:
              viewer:
                commands: *reads
            bindings: []
            """);

        Assert.Equal(["line 3, column 15: YAML syntax error: unknown alias *reads"], errors);
    }
}
