using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy.Yaml;

namespace PscaleBot.Commands.Policy;

/// <summary>
/// Reads a role's <c>approval:</c> section into an <see cref="ApprovalRule"/>: what needs approval, who approves,
/// how many must, for how long, and where requests are posted.
/// </summary>
/// <param name="fields">Reads the values and collects the errors.</param>
/// <param name="patterns">Reads the permission and database lists of <c>required_for</c>.</param>
/// <param name="roleNames">Every role declared in the file, so <c>role:&lt;name&gt;</c> approvers can be checked.</param>
internal sealed class ApprovalRuleReader(YamlFieldReader fields, PolicyPatternReader patterns, IReadOnlySet<string> roleNames)
{
    private static readonly string[] ApprovalKeys =
    [
        "required_for", "approvers", "min_approvals", "default_duration", "max_duration", "reason_required",
        "break_glass", "request_channels", "request_timeout", "oncall_auto_approve",
    ];
    private static readonly string[] RequiredForKeys = ["permissions", "databases"];
    private static readonly string[] ChannelKeys = ["slack", "teams"];

    private readonly List<YamlNode> _onCallAutoApproveUses = [];

    /// <summary>Used when an approval rule gives no <c>default_duration</c> (capped by its <c>max_duration</c>).</summary>
    public static readonly TimeSpan DefaultGrantDuration = TimeSpan.FromHours(1);

    /// <summary>Used when an approval rule gives no <c>request_timeout</c>.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromHours(1);

    /// <summary>Each <c>oncall_auto_approve: true</c> read so far: it needs the file's top-level <c>oncall:</c> section.</summary>
    public IReadOnlyList<YamlNode> OnCallAutoApproveUses => _onCallAutoApproveUses;

    /// <summary>The approval rule of role <paramref name="role"/>; null (and reported) when the section is not a mapping.</summary>
    public ApprovalRule? Read(string role, YamlNode node, string roleContext)
    {
        var context = $"{roleContext}, approval";
        if (node is not YamlMapping map)
        {
            fields.Error(node, $"{context}: 'approval' must be a mapping (approvers:, max_duration:, …), not {node.Kind}");
            return null;
        }

        fields.CheckKeys(map, context, ApprovalKeys);
        var scope = YamlFieldReader.Find(map, "required_for") is { } requiredFor ? ReadRequiredFor(requiredFor, context) : ApprovalScope.Everything;
        var approvers = ReadApprovers(map, context);

        var minApprovals = 1;
        if (YamlFieldReader.Find(map, "min_approvals") is { } minNode)
        {
            minApprovals = fields.ReadInt(minNode, "min_approvals", context) ?? 1;
            if (minApprovals < 1)
            {
                fields.Error(minNode, $"{context}: min_approvals must be at least 1 (2 for the two-person rule), not {minApprovals}");
                minApprovals = 1;
            }
            else if (approvers.Count > 0 && approvers.All(a => a.Contains(":user:", StringComparison.Ordinal))
                     && approvers.Distinct(StringComparer.OrdinalIgnoreCase).Count() < minApprovals)
            {
                fields.Error(minNode, $"{context}: min_approvals is {minApprovals} but only {approvers.Count} individual approver(s) are listed; no request could ever be approved");
            }
        }

        var maxNode = fields.Require(map, "max_duration", context);
        var maxDuration = maxNode is null ? null : fields.ReadDuration(maxNode, "max_duration", context);
        var defaultNode = YamlFieldReader.Find(map, "default_duration");
        var defaultDuration = defaultNode is null ? null : fields.ReadDuration(defaultNode, "default_duration", context);
        if (defaultDuration is { } d && maxDuration is { } m && d > m)
        {
            fields.Error(defaultNode!, $"{context}: default_duration {PolicyDuration.Format(d)} is longer than max_duration {PolicyDuration.Format(m)}");
        }

        var reasonRequired = YamlFieldReader.Find(map, "reason_required") is { } reason && (fields.ReadBool(reason, "reason_required", context) ?? false);
        var breakGlass = YamlFieldReader.Find(map, "break_glass") is { } glass && (fields.ReadBool(glass, "break_glass", context) ?? false);
        var timeout = YamlFieldReader.Find(map, "request_timeout") is { } timeoutNode ? fields.ReadDuration(timeoutNode, "request_timeout", context) : DefaultRequestTimeout;
        var onCall = false;
        if (YamlFieldReader.Find(map, "oncall_auto_approve") is { } onCallNode)
        {
            onCall = fields.ReadBool(onCallNode, "oncall_auto_approve", context) ?? false;
            if (onCall)
            {
                _onCallAutoApproveUses.Add(onCallNode);
            }
        }

        var channels = YamlFieldReader.Find(map, "request_channels") is { } channelsNode
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

    private List<string> ReadApprovers(YamlMapping map, string context)
    {
        var approvers = new List<string>();
        if (fields.Require(map, "approvers", context) is not { } approversNode)
        {
            return approvers;
        }

        foreach (var item in fields.ReadStrings(approversNode, "approvers", context, allowEmpty: false))
        {
            if (item.Value.StartsWith(PolicyIds.RolePrefix, StringComparison.Ordinal))
            {
                var roleName = item.Value[PolicyIds.RolePrefix.Length..];
                if (!roleNames.Contains(roleName))
                {
                    fields.Error(item, $"{context}: approver '{item.Value}' names an unknown role{YamlFieldReader.DidYouMean(roleName, roleNames)}");
                    continue;
                }
            }
            else if (PolicyIds.CheckIdentity(item.Value, allowAnything: false) is { } problem)
            {
                fields.Error(item, $"{context}: approver {problem}, or role:<name>");
                continue;
            }

            approvers.Add(item.Value);
        }

        return approvers;
    }

    private ApprovalScope ReadRequiredFor(YamlNode node, string context)
    {
        if (node is YamlScalar { IsNull: false, Value: "always" })
        {
            return ApprovalScope.Everything;
        }

        if (node is not YamlMapping map)
        {
            fields.Error(node, $"{context}: required_for must be 'always' or a mapping with 'permissions:' and/or 'databases:'");
            return ApprovalScope.Everything;
        }

        var inner = $"{context}, required_for";
        fields.CheckKeys(map, inner, RequiredForKeys);
        var permissions = YamlFieldReader.Find(map, "permissions") is { } p ? patterns.ReadPermissions(p, "permissions", inner) : GlobSet.None;
        var databases = YamlFieldReader.Find(map, "databases") is { } d ? patterns.ReadNamePatterns(d, "databases", inner) : GlobSet.None;
        if (permissions.IsEmpty && databases.IsEmpty && !map.Entries.Any(e => e.Key.Value is "permissions" or "databases"))
        {
            fields.Error(map, $"{inner}: name 'permissions:' and/or 'databases:', or write 'required_for: always'");
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
            fields.Error(node, $"{inner}: must be a mapping like 'slack: slack:channel:C…' and 'teams: teams:channel:19:…'");
            return channels;
        }

        fields.CheckKeys(map, inner, ChannelKeys);
        foreach (var (key, value) in map.Entries)
        {
            var (platform, prefix) = key.Value switch
            {
                "slack" => (ChatPlatform.Slack, "slack:channel:"),
                "teams" => (ChatPlatform.Teams, "teams:channel:"),
                _ => (ChatPlatform.Shell, ""),
            };
            if (prefix.Length == 0 || fields.ReadString(value, key.Value, inner) is not { } channel)
            {
                continue;
            }

            if (!channel.StartsWith(prefix, StringComparison.Ordinal) || PolicyIds.CheckPlace(channel) is not null)
            {
                fields.Error(value, $"{inner}: {key.Value} channel '{channel}' must be a channel id like {prefix}…");
                continue;
            }

            channels[platform] = channel;
        }

        return channels;
    }
}
