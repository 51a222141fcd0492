using System.Text.RegularExpressions;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Permissions;
using PscaleBot.Commands.Policy.Yaml;
using PscaleBot.Commands.Text;

namespace PscaleBot.Commands.Policy;

/// <summary>
/// Turns a YAML tree into a <see cref="PolicyDocument"/>, checking every part and collecting every error with its
/// position rather than stopping at the first. Unknown keys are errors: a typo must not silently drop a restriction.
/// </summary>
internal sealed partial class PolicyDocumentReader
{
    private static readonly string[] TopKeys = ["roles", "bindings", "oncall"];
    private static readonly string[] RoleKeys = ["description", "commands", "organizations", "databases", "permissions", "max_duration", "approval"];
    private static readonly string[] ApprovalKeys =
    [
        "required_for", "approvers", "min_approvals", "default_duration", "max_duration", "reason_required",
        "break_glass", "request_channels", "request_timeout", "oncall_auto_approve",
    ];
    private static readonly string[] RequiredForKeys = ["permissions", "databases"];
    private static readonly string[] BindingKeys = ["description", "where", "who", "roles"];
    private static readonly string[] OnCallKeys = ["schedule"];
    private static readonly string[] ChannelKeys = ["slack", "teams"];

    /// <summary>Used when an approval rule gives no <c>default_duration</c> (capped by its <c>max_duration</c>).</summary>
    public static readonly TimeSpan DefaultGrantDuration = TimeSpan.FromHours(1);

    /// <summary>Used when an approval rule gives no <c>request_timeout</c>.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromHours(1);

    private readonly List<PolicyError> _errors;
    private readonly string? _sourcePath;
    private readonly HashSet<string> _roleNames = new(StringComparer.Ordinal);
    private readonly List<YamlNode> _onCallAutoApproveUses = [];

    public PolicyDocumentReader(List<PolicyError> errors, string? sourcePath)
    {
        _errors = errors;
        _sourcePath = sourcePath;
    }

    public PolicyDocument? Read(YamlNode? root)
    {
        if (root is null || root is YamlScalar { IsNull: true })
        {
            Error(1, 1, "the policy file is empty; it needs 'roles:' and 'bindings:' (see deploy/policy.example.yaml)");
            return null;
        }

        if (root is not YamlMapping top)
        {
            Error(root, $"the policy file must be a mapping with 'roles:' and 'bindings:', not {root.Kind}");
            return null;
        }

        CheckKeys(top, "at the top level", TopKeys);
        var rolesNode = Require(top, "roles", "at the top level");
        var bindingsNode = Require(top, "bindings", "at the top level");

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
            _ => WrongKind<PolicyRole>(rolesNode, "'roles' must be a mapping of role names to roles"),
        };
        var bindings = bindingsNode switch
        {
            null => [],
            YamlSequence list => ReadBindings(list),
            _ => WrongKind<PolicyBinding>(bindingsNode, "'bindings' must be a list of bindings (each starting with '- where:')"),
        };
        var onCall = Find(top, "oncall") is { } onCallNode ? ReadOnCall(onCallNode) : null;
        if (onCall is null)
        {
            foreach (var use in _onCallAutoApproveUses)
            {
                Error(use, "oncall_auto_approve needs the top-level 'oncall:' section with the schedule to consult");
            }
        }

        return new PolicyDocument(roles, bindings, onCall, _sourcePath);
    }

    private List<PolicyRole> ReadRoles(YamlMapping map)
    {
        var roles = new List<PolicyRole>();
        if (map.Entries.Count == 0)
        {
            Error(map, "'roles' is empty; declare at least one role");
        }

        foreach (var (key, value) in map.Entries)
        {
            if (!RoleName().IsMatch(key.Value))
            {
                Error(key, $"role name '{key.Value}' may use only letters, digits, '-' and '_'");
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
            Error(node, $"role '{name.Value}' must be a mapping with 'commands:' and the rest, not {node.Kind}");
            return null;
        }

        CheckKeys(map, context, RoleKeys);
        if (Find(map, "description") is { } description)
        {
            ReadString(description, "description", context);
        }

        var commandsNode = Require(map, "commands", context);
        var commands = commandsNode is null ? GlobSet.None : ReadCommands(commandsNode, context);
        var organizations = Find(map, "organizations") is { } orgs ? ReadNamePatterns(orgs, "organizations", context) : GlobSet.All;
        var databases = Find(map, "databases") is { } dbs ? ReadNamePatterns(dbs, "databases", context) : GlobSet.None;
        var permissions = Find(map, "permissions") is { } perms ? ReadPermissions(perms, "permissions", context) : GlobSet.None;
        var maxDuration = Find(map, "max_duration") is { } max ? ReadDuration(max, "max_duration", context) : null;
        ApprovalRule? approval = null;
        if (Find(map, "approval") is { } approvalNode)
        {
            approval = ReadApproval(name.Value, approvalNode, context);
            if (!commands.IsMatch("add-access"))
            {
                Error(approvalNode, $"{context}: 'approval' governs add-access, which this role does not allow; add it to 'commands' or remove 'approval'");
            }
        }

        return new PolicyRole(name.Value, commands, organizations, databases, permissions, maxDuration, approval, name.Line);
    }

    private GlobSet ReadCommands(YamlNode node, string context)
    {
        var globs = new List<Glob>();
        foreach (var item in ReadStrings(node, "commands", context, allowEmpty: false))
        {
            var value = item.Value;
            if (value.Contains('*') || value.Contains('?'))
            {
                var glob = CompilePattern(item, "commands", context);
                if (glob is not null && !SubCommands.All.Any(glob.IsMatch))
                {
                    Error(item, $"{context}: command pattern '{value}' matches no sub-command; known: {string.Join(", ", SubCommands.All)}");
                }
                else if (glob is not null)
                {
                    globs.Add(glob);
                }
            }
            else if (SubCommands.All.Contains(value, StringComparer.Ordinal))
            {
                globs.Add(Glob.Compile(value));
            }
            else
            {
                var hint = NameSuggester.Closest(value, SubCommands.All) is { } near
                    ? $"did you mean '{near}'?"
                    : $"known: {string.Join(", ", SubCommands.All)}";
                Error(item, $"{context}: unknown sub-command '{value}' ({hint})");
            }
        }

        return new GlobSet(globs);
    }

    private GlobSet ReadNamePatterns(YamlNode node, string key, string context)
    {
        var globs = new List<Glob>();
        foreach (var item in ReadStrings(node, key, context, allowEmpty: true))
        {
            if (CompilePattern(item, key, context) is { } glob)
            {
                globs.Add(glob);
            }
        }

        return new GlobSet(globs);
    }

    private GlobSet ReadPermissions(YamlNode node, string key, string context)
    {
        var globs = new List<Glob>();
        var known = PermissionCatalog.All.Select(p => p.Name).ToArray();
        foreach (var item in ReadStrings(node, key, context, allowEmpty: true))
        {
            var value = item.Value;
            if (value.Contains('*') || value.Contains('?'))
            {
                if (CompilePattern(item, key, context) is { } glob)
                {
                    if (known.Any(glob.IsMatch))
                    {
                        globs.Add(glob);
                    }
                    else
                    {
                        Error(item, $"{context}: permission pattern '{value}' matches no permission");
                    }
                }
            }
            else if (PermissionCatalog.IsKnown(value))
            {
                globs.Add(Glob.Compile(value));
            }
            else
            {
                Error(item, $"{context}: unknown permission '{value}'{DidYouMean(value, known)}");
            }
        }

        return new GlobSet(globs);
    }

    private ApprovalRule? ReadApproval(string role, YamlNode node, string roleContext)
    {
        var context = $"{roleContext}, approval";
        if (node is not YamlMapping map)
        {
            Error(node, $"{context}: 'approval' must be a mapping (approvers:, max_duration:, …), not {node.Kind}");
            return null;
        }

        CheckKeys(map, context, ApprovalKeys);
        var scope = Find(map, "required_for") is { } requiredFor ? ReadRequiredFor(requiredFor, context) : ApprovalScope.Everything;

        var approvers = new List<string>();
        var approversNode = Require(map, "approvers", context);
        if (approversNode is not null)
        {
            foreach (var item in ReadStrings(approversNode, "approvers", context, allowEmpty: false))
            {
                if (item.Value.StartsWith(PolicyIds.RolePrefix, StringComparison.Ordinal))
                {
                    var roleName = item.Value[PolicyIds.RolePrefix.Length..];
                    if (!_roleNames.Contains(roleName))
                    {
                        Error(item, $"{context}: approver '{item.Value}' names an unknown role{DidYouMean(roleName, _roleNames)}");
                        continue;
                    }
                }
                else if (PolicyIds.CheckIdentity(item.Value, allowAnything: false) is { } problem)
                {
                    Error(item, $"{context}: approver {problem}, or role:<name>");
                    continue;
                }

                approvers.Add(item.Value);
            }
        }

        var minApprovals = 1;
        if (Find(map, "min_approvals") is { } minNode)
        {
            minApprovals = ReadInt(minNode, "min_approvals", context) ?? 1;
            if (minApprovals < 1)
            {
                Error(minNode, $"{context}: min_approvals must be at least 1 (2 for the two-person rule), not {minApprovals}");
                minApprovals = 1;
            }
            else if (approvers.Count > 0 && approvers.All(a => a.Contains(":user:", StringComparison.Ordinal))
                     && approvers.Distinct(StringComparer.OrdinalIgnoreCase).Count() < minApprovals)
            {
                Error(minNode, $"{context}: min_approvals is {minApprovals} but only {approvers.Count} individual approver(s) are listed; no request could ever be approved");
            }
        }

        var maxNode = Require(map, "max_duration", context);
        var maxDuration = maxNode is null ? null : ReadDuration(maxNode, "max_duration", context);
        TimeSpan? defaultDuration = Find(map, "default_duration") is { } defaultNode ? ReadDuration(defaultNode, "default_duration", context) : null;
        if (defaultDuration is { } d && maxDuration is { } m && d > m)
        {
            Error(Find(map, "default_duration")!, $"{context}: default_duration {PolicyDuration.Format(d)} is longer than max_duration {PolicyDuration.Format(m)}");
        }

        var reasonRequired = Find(map, "reason_required") is { } reason && (ReadBool(reason, "reason_required", context) ?? false);
        var breakGlass = Find(map, "break_glass") is { } glass && (ReadBool(glass, "break_glass", context) ?? false);
        var timeout = Find(map, "request_timeout") is { } timeoutNode ? ReadDuration(timeoutNode, "request_timeout", context) : DefaultRequestTimeout;
        var onCall = false;
        if (Find(map, "oncall_auto_approve") is { } onCallNode)
        {
            onCall = ReadBool(onCallNode, "oncall_auto_approve", context) ?? false;
            if (onCall)
            {
                _onCallAutoApproveUses.Add(onCallNode);
            }
        }

        var channels = Find(map, "request_channels") is { } channelsNode
            ? ReadRequestChannels(channelsNode, context)
            : new Dictionary<ChatPlatform, string>();

        var max = maxDuration ?? TimeSpan.Zero;
        var requirement = new ApprovalRequirement(
            role,
            approvers,
            minApprovals,
            defaultDuration ?? (max > TimeSpan.Zero && max < DefaultGrantDuration ? max : DefaultGrantDuration),
            max,
            reasonRequired,
            breakGlass,
            channels,
            timeout ?? DefaultRequestTimeout,
            onCall);
        return new ApprovalRule(scope, requirement);
    }

    private ApprovalScope ReadRequiredFor(YamlNode node, string context)
    {
        if (node is YamlScalar { IsNull: false, Value: "always" })
        {
            return ApprovalScope.Everything;
        }

        if (node is not YamlMapping map)
        {
            Error(node, $"{context}: required_for must be 'always' or a mapping with 'permissions:' and/or 'databases:'");
            return ApprovalScope.Everything;
        }

        var inner = $"{context}, required_for";
        CheckKeys(map, inner, RequiredForKeys);
        var permissions = Find(map, "permissions") is { } p ? ReadPermissions(p, "permissions", inner) : GlobSet.None;
        var databases = Find(map, "databases") is { } d ? ReadNamePatterns(d, "databases", inner) : GlobSet.None;
        if (permissions.IsEmpty && databases.IsEmpty && !map.Entries.Any(e => e.Key.Value is "permissions" or "databases"))
        {
            Error(map, $"{inner}: name 'permissions:' and/or 'databases:', or write 'required_for: always'");
            return ApprovalScope.Everything;
        }

        return new ApprovalScope(false, permissions, databases);
    }

    private Dictionary<ChatPlatform, string> ReadRequestChannels(YamlNode node, string context)
    {
        var channels = new Dictionary<ChatPlatform, string>();
        var inner = $"{context}, request_channels";
        if (node is not YamlMapping map)
        {
            Error(node, $"{inner}: must be a mapping like 'slack: slack:channel:C…' and 'teams: teams:channel:19:…'");
            return channels;
        }

        CheckKeys(map, inner, ChannelKeys);
        foreach (var (key, value) in map.Entries)
        {
            var (platform, prefix) = key.Value switch
            {
                "slack" => (ChatPlatform.Slack, "slack:channel:"),
                "teams" => (ChatPlatform.Teams, "teams:channel:"),
                _ => (ChatPlatform.Shell, ""),
            };
            if (prefix.Length == 0 || ReadString(value, key.Value, inner) is not { } channel)
            {
                continue;
            }

            if (!channel.StartsWith(prefix, StringComparison.Ordinal) || PolicyIds.CheckPlace(channel) is not null)
            {
                Error(value, $"{inner}: {key.Value} channel '{channel}' must be a channel id like {prefix}…");
                continue;
            }

            channels[platform] = channel;
        }

        return channels;
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
                Error(node, $"binding {i + 1} must be a mapping with 'where:', 'who:' and 'roles:', not {node.Kind}");
                continue;
            }

            CheckKeys(map, context, BindingKeys);
            if (Find(map, "description") is { } description)
            {
                ReadString(description, "description", context);
            }

            var where = new List<string>();
            if (Require(map, "where", context) is { } whereNode)
            {
                foreach (var item in ReadStrings(whereNode, "where", context, allowEmpty: false,
                             emptyHint: "name at least one place: slack:channel:C…, teams:channel:…, direct, shell or *"))
                {
                    if (PolicyIds.CheckPlace(item.Value) is { } problem)
                    {
                        Error(item, $"{context}: {problem}");
                    }
                    else
                    {
                        where.Add(item.Value);
                    }
                }
            }

            var who = new List<string>();
            if (Require(map, "who", context) is { } whoNode)
            {
                foreach (var item in ReadStrings(whoNode, "who", context, allowEmpty: false,
                             emptyHint: "name at least one identity: slack:user:U…, slack:usergroup:S…, teams:user:<id> or *"))
                {
                    if (PolicyIds.CheckIdentity(item.Value, allowAnything: true) is { } problem)
                    {
                        Error(item, $"{context}: {problem}");
                    }
                    else
                    {
                        who.Add(item.Value);
                    }
                }
            }

            var roles = new List<string>();
            if (Require(map, "roles", context) is { } rolesNode)
            {
                foreach (var item in ReadStrings(rolesNode, "roles", context, allowEmpty: false))
                {
                    if (_roleNames.Contains(item.Value))
                    {
                        roles.Add(item.Value);
                    }
                    else
                    {
                        Error(item, $"{context}: unknown role '{item.Value}'{DidYouMean(item.Value, _roleNames)}");
                    }
                }
            }

            bindings.Add(new PolicyBinding(where, who, roles.Distinct(StringComparer.Ordinal).ToArray(), map.Line));
        }

        return bindings;
    }

    private OnCallSettings? ReadOnCall(YamlNode node)
    {
        const string context = "in 'oncall'";
        if (node is not YamlMapping map)
        {
            Error(node, $"'oncall' must be a mapping with 'schedule: <file>', not {node.Kind}");
            return null;
        }

        CheckKeys(map, context, OnCallKeys);
        if (Require(map, "schedule", context) is not { } scheduleNode || ReadString(scheduleNode, "schedule", context) is not { } schedule)
        {
            return null;
        }

        var folder = _sourcePath is null ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(Path.GetFullPath(_sourcePath))!;
        return new OnCallSettings(schedule, Path.GetFullPath(Path.Combine(folder, schedule)));
    }

    // ---- typed readers: each reports a precise error and returns null / nothing on failure ----

    private IEnumerable<YamlScalar> ReadStrings(YamlNode node, string key, string context, bool allowEmpty, string? emptyHint = null)
    {
        IReadOnlyList<YamlNode> items = node switch
        {
            YamlSequence list => list.Items,
            YamlScalar scalar when scalar.IsNull || scalar.Value.Trim().Length == 0 => [],
            YamlScalar scalar => [scalar],
            _ => [],
        };
        if (node is YamlMapping)
        {
            Error(node, $"{context}: '{key}' must be a list of values, not a mapping");
            return [];
        }

        if (items.Count == 0 && !allowEmpty)
        {
            Error(node, $"{context}: '{key}' is empty" + (emptyHint is null ? "" : $"; {emptyHint}"));
            return [];
        }

        var values = new List<YamlScalar>();
        foreach (var item in items)
        {
            if (item is YamlScalar { IsNull: false } scalar && scalar.Value.Trim().Length > 0)
            {
                values.Add(scalar with { Value = scalar.Value.Trim() });
            }
            else
            {
                Error(item, $"{context}: each entry of '{key}' must be a non-empty value, not {item.Kind}");
            }
        }

        return values;
    }

    private string? ReadString(YamlNode node, string key, string context)
    {
        if (node is YamlScalar { IsNull: false } scalar && scalar.Value.Trim().Length > 0)
        {
            return scalar.Value.Trim();
        }

        Error(node, $"{context}: '{key}' must be a single non-empty value, not {node.Kind}");
        return null;
    }

    private TimeSpan? ReadDuration(YamlNode node, string key, string context)
    {
        if (ReadString(node, key, context) is not { } text)
        {
            return null;
        }

        if (PolicyDuration.TryParse(text, out var duration))
        {
            return duration;
        }

        Error(node, $"{context}: {key} '{text}' is not a duration; write a number and a unit, like 30m, 2h, 1h30m or 7d");
        return null;
    }

    private bool? ReadBool(YamlNode node, string key, string context)
    {
        if (node is YamlScalar { IsPlain: true } scalar)
        {
            if (string.Equals(scalar.Value, "true", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (string.Equals(scalar.Value, "false", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        Error(node, $"{context}: {key} must be true or false");
        return null;
    }

    private int? ReadInt(YamlNode node, string key, string context)
    {
        if (node is YamlScalar { IsPlain: true } scalar && int.TryParse(scalar.Value, System.Globalization.NumberStyles.AllowLeadingSign,
                System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Error(node, $"{context}: {key} must be a whole number");
        return null;
    }

    private Glob? CompilePattern(YamlScalar item, string key, string context)
    {
        var glob = Glob.TryCompile(item.Value, out var problem);
        if (glob is null)
        {
            Error(item, $"{context}: bad pattern '{item.Value}' in '{key}': {problem}");
        }

        return glob;
    }

    // ---- structure ----

    private void CheckKeys(YamlMapping map, string context, string[] allowed)
    {
        foreach (var (key, _) in map.Entries)
        {
            if (!allowed.Contains(key.Value, StringComparer.Ordinal))
            {
                var hint = NameSuggester.Closest(key.Value, allowed) is { } near
                    ? $"did you mean '{near}'?"
                    : $"expected one of: {string.Join(", ", allowed)}";
                Error(key, $"unknown key '{key.Value}' {context} ({hint})");
            }
        }
    }

    private YamlNode? Require(YamlMapping map, string key, string context)
    {
        var node = Find(map, key);
        if (node is null)
        {
            Error(map, $"missing '{key}' {context}");
        }

        return node;
    }

    private static YamlNode? Find(YamlMapping map, string key) =>
        map.Entries.FirstOrDefault(e => e.Key.Value == key).Value;

    private List<T> WrongKind<T>(YamlNode node, string message)
    {
        Error(node, message);
        return [];
    }

    private void Error(YamlNode node, string message) => Error(node.Line, node.Column, message);

    private void Error(int line, int column, string message) => _errors.Add(new PolicyError(line, column, message));

    // " (did you mean 'x'?)" or nothing.
    private static string DidYouMean(string typed, IEnumerable<string> known) =>
        NameSuggester.Closest(typed, known) is { } near ? $" (did you mean '{near}'?)" : "";

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex RoleName();
}
