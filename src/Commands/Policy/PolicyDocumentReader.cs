using System.Text.RegularExpressions;
using PscaleBot.Commands.Policy.Yaml;

namespace PscaleBot.Commands.Policy;

/// <summary>
/// Turns a YAML tree into a <see cref="PolicyDocument"/>, checking every part and collecting every error with its
/// position rather than stopping at the first. Unknown keys are errors: a typo must not silently drop a restriction.
/// This type holds the file's layout (roles, bindings, on-call); <see cref="ApprovalRuleReader"/> reads approval
/// sections, <see cref="PolicyPatternReader"/> the name lists, and <see cref="YamlFieldReader"/> the typed values.
/// </summary>
internal sealed partial class PolicyDocumentReader
{
    private static readonly string[] TopKeys = ["roles", "bindings", "oncall"];
    private static readonly string[] RoleKeys = ["description", "commands", "organizations", "databases", "permissions", "max_duration", "approval", "manage_bot_token"];
    private static readonly string[] BindingKeys = ["description", "where", "who", "roles"];

    private readonly string? _sourcePath;
    private readonly HashSet<string> _roleNames = new(StringComparer.Ordinal);
    private readonly YamlFieldReader _fields;
    private readonly PolicyPatternReader _patterns;
    private readonly ApprovalRuleReader _approvals;

    /// <param name="errors">Where every problem goes, with its line and column.</param>
    /// <param name="sourcePath">The file read, so a relative on-call schedule path resolves next to it; null for text.</param>
    public PolicyDocumentReader(List<PolicyError> errors, string? sourcePath)
    {
        _sourcePath = sourcePath;
        _fields = new YamlFieldReader(errors);
        _patterns = new PolicyPatternReader(_fields);
        _approvals = new ApprovalRuleReader(_fields, _patterns, _roleNames);
    }

    public PolicyDocument? Read(YamlNode? root)
    {
        if (root is null || root is YamlScalar { IsNull: true })
        {
            _fields.Error(1, 1, "the policy file is empty; it needs 'roles:' and 'bindings:' (see deploy/policy.example.yaml)");
            return null;
        }

        if (root is not YamlMapping top)
        {
            _fields.Error(root, $"the policy file must be a mapping with 'roles:' and 'bindings:', not {root.Kind}");
            return null;
        }

        _fields.CheckKeys(top, "at the top level", TopKeys);
        var rolesNode = _fields.Require(top, "roles", "at the top level");
        var bindingsNode = _fields.Require(top, "bindings", "at the top level");

        // Role names first, so approvers and bindings may refer to roles declared anywhere in the file.
        if (rolesNode is YamlMapping rolesMap)
        {
            foreach (var (key, _) in rolesMap.Entries)
            {
                _roleNames.Add(key.Value);
            }
        }

        var roles = rolesNode switch
        {
            null => [],
            YamlMapping map => ReadRoles(map),
            _ => _fields.WrongKind<PolicyRole>(rolesNode, "'roles' must be a mapping of role names to roles"),
        };
        var bindings = bindingsNode switch
        {
            null => [],
            YamlSequence list => ReadBindings(list),
            _ => _fields.WrongKind<PolicyBinding>(bindingsNode, "'bindings' must be a list of bindings (each starting with '- where:')"),
        };
        var onCall = YamlFieldReader.Find(top, "oncall") is { } onCallNode ? new OnCallSettingsReader(_fields, _sourcePath).Read(onCallNode) : null;
        if (onCall is null)
        {
            foreach (var use in _approvals.OnCallAutoApproveUses)
            {
                _fields.Error(use, "oncall_auto_approve needs the top-level 'oncall:' section with a schedule, pagerduty or opsgenie to consult");
            }
        }

        return new PolicyDocument(roles, bindings, onCall, _sourcePath);
    }

    private List<PolicyRole> ReadRoles(YamlMapping map)
    {
        var roles = new List<PolicyRole>();
        if (map.Entries.Count == 0)
        {
            _fields.Error(map, "'roles' is empty; declare at least one role");
        }

        foreach (var (key, value) in map.Entries)
        {
            if (!RoleName().IsMatch(key.Value))
            {
                _fields.Error(key, $"role name '{key.Value}' may use only letters, digits, '-' and '_'");
            }

            if (ReadRole(key, value) is { } role)
            {
                roles.Add(role);
            }
        }

        return roles;
    }

    private PolicyRole? ReadRole(YamlScalar name, YamlNode node)
    {
        var context = $"in role '{name.Value}'";
        if (node is not YamlMapping map)
        {
            _fields.Error(node, $"role '{name.Value}' must be a mapping with 'commands:' and the rest, not {node.Kind}");
            return null;
        }

        _fields.CheckKeys(map, context, RoleKeys);
        if (YamlFieldReader.Find(map, "description") is { } description)
        {
            _fields.ReadString(description, "description", context);
        }

        var commandsNode = _fields.Require(map, "commands", context);
        var commands = commandsNode is null ? GlobSet.None : _patterns.ReadCommands(commandsNode, context);
        var organizations = YamlFieldReader.Find(map, "organizations") is { } orgs ? _patterns.ReadNamePatterns(orgs, "organizations", context) : null;
        var databases = YamlFieldReader.Find(map, "databases") is { } dbs ? _patterns.ReadNamePatterns(dbs, "databases", context) : GlobSet.None;
        var permissions = YamlFieldReader.Find(map, "permissions") is { } perms ? _patterns.ReadPermissions(perms, "permissions", context) : GlobSet.None;
        var maxDuration = YamlFieldReader.Find(map, "max_duration") is { } max ? _fields.ReadDuration(max, "max_duration", context) : null;
        ApprovalRule? approval = null;
        if (YamlFieldReader.Find(map, "approval") is { } approvalNode)
        {
            approval = _approvals.Read(name.Value, approvalNode, context);
            if (!commands.IsMatch("add-access"))
            {
                _fields.Error(approvalNode, $"{context}: 'approval' governs add-access, which this role does not allow; add it to 'commands' or remove 'approval'");
            }
        }

        var manageBotToken = YamlFieldReader.Find(map, "manage_bot_token") is { } manage && _fields.ReadBool(manage, "manage_bot_token", context) == true;
        return new PolicyRole(name.Value, commands, organizations, databases, permissions, maxDuration, approval, name.Line, manageBotToken);
    }
    private List<PolicyBinding> ReadBindings(YamlSequence list)
    {
        var bindings = new List<PolicyBinding>();
        for (var i = 0; i < list.Items.Count; i++)
        {
            var node = list.Items[i];
            var context = $"in binding {i + 1}";
            if (node is not YamlMapping map)
            {
                _fields.Error(node, $"binding {i + 1} must be a mapping with 'where:', 'who:' and 'roles:', not {node.Kind}");
                continue;
            }

            _fields.CheckKeys(map, context, BindingKeys);
            if (YamlFieldReader.Find(map, "description") is { } description)
            {
                _fields.ReadString(description, "description", context);
            }

            var where = new List<string>();
            if (_fields.Require(map, "where", context) is { } whereNode)
            {
                foreach (var item in _fields.ReadStrings(whereNode, "where", context, allowEmpty: false,
                             emptyHint: "name at least one place: slack:channel:C…, teams:channel:…, direct, shell or *"))
                {
                    if (PolicyIds.CheckPlace(item.Value) is { } problem)
                    {
                        _fields.Error(item, $"{context}: {problem}");
                    }
                    else
                    {
                        where.Add(item.Value);
                    }
                }
            }

            var who = new List<string>();
            if (_fields.Require(map, "who", context) is { } whoNode)
            {
                foreach (var item in _fields.ReadStrings(whoNode, "who", context, allowEmpty: false,
                             emptyHint: "name at least one identity: slack:user:U…, slack:usergroup:S…, teams:user:<id> or *"))
                {
                    if (PolicyIds.CheckIdentity(item.Value, allowAnything: true) is { } problem)
                    {
                        _fields.Error(item, $"{context}: {problem}");
                    }
                    else
                    {
                        who.Add(item.Value);
                    }
                }
            }

            var roles = new List<string>();
            if (_fields.Require(map, "roles", context) is { } rolesNode)
            {
                foreach (var item in _fields.ReadStrings(rolesNode, "roles", context, allowEmpty: false))
                {
                    if (_roleNames.Contains(item.Value))
                    {
                        roles.Add(item.Value);
                    }
                    else
                    {
                        _fields.Error(item, $"{context}: unknown role '{item.Value}'{YamlFieldReader.DidYouMean(item.Value, _roleNames)}");
                    }
                }
            }

            bindings.Add(new PolicyBinding(where, who, roles.Distinct(StringComparer.Ordinal).ToArray(), map.Line));
        }

        return bindings;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex RoleName();
}
