using System.Text.RegularExpressions;
using PscaleBot.Commands.Policy.Yaml;

namespace PscaleBot.Commands.Policy;

/// <summary>
/// Reads the top-level <c>oncall:</c> section: a schedule file, PagerDuty (<c>schedule_ids</c>,
/// <c>escalation_policy_ids</c>, <c>escalation_levels</c>) and/or Opsgenie (<c>schedule_ids</c>). Every bad shape is
/// reported with a sentence naming the field, so a typo never silently turns auto-approval off or on.
/// </summary>
internal sealed partial class OnCallSettingsReader(YamlFieldReader fields, string? sourcePath)
{
    private static readonly string[] OnCallKeys = ["schedule", "pagerduty", "opsgenie"];
    private static readonly string[] PagerDutyKeys = ["schedule_ids", "escalation_policy_ids", "escalation_levels"];
    private static readonly string[] OpsgenieKeys = ["schedule_ids"];

    /// <summary>The section, or null (and reported) when it is unusable.</summary>
    public OnCallSettings? Read(YamlNode node)
    {
        const string context = "in 'oncall'";
        if (node is not YamlMapping map)
        {
            fields.Error(node, $"'oncall' must be a mapping with 'schedule: <file>', 'pagerduty:' or 'opsgenie:', not {node.Kind}");
            return null;
        }

        fields.CheckKeys(map, context, OnCallKeys);
        var scheduleNode = YamlFieldReader.Find(map, "schedule");
        var pagerDutyNode = YamlFieldReader.Find(map, "pagerduty");
        var opsgenieNode = YamlFieldReader.Find(map, "opsgenie");
        if (scheduleNode is null && pagerDutyNode is null && opsgenieNode is null)
        {
            fields.Error(map, "'oncall' needs at least one of 'schedule: <file>', 'pagerduty:' or 'opsgenie:'");
            return null;
        }

        var errorsBefore = fields.ErrorCount;
        string? schedule = null;
        string? schedulePath = null;
        if (scheduleNode is not null && fields.ReadString(scheduleNode, "schedule", context) is { } written)
        {
            var folder = sourcePath is null ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(Path.GetFullPath(sourcePath))!;
            schedule = written;
            schedulePath = Path.GetFullPath(Path.Combine(folder, written));
        }

        var pagerDuty = pagerDutyNode is null ? null : ReadPagerDuty(pagerDutyNode);
        var opsgenie = opsgenieNode is null ? null : ReadOpsgenie(opsgenieNode);
        return fields.ErrorCount == errorsBefore ? new OnCallSettings(schedule, schedulePath, pagerDuty, opsgenie) : null;
    }

    private PagerDutyOnCallSource? ReadPagerDuty(YamlNode node)
    {
        const string context = "in 'oncall.pagerduty'";
        if (node is not YamlMapping map)
        {
            fields.Error(node, $"'oncall.pagerduty' must be a mapping with 'schedule_ids' and/or 'escalation_policy_ids', not {node.Kind}");
            return null;
        }

        fields.CheckKeys(map, context, PagerDutyKeys);
        var schedules = Ids(map, "schedule_ids", context);
        var policies = Ids(map, "escalation_policy_ids", context);
        if (schedules.Count == 0 && policies.Count == 0)
        {
            fields.Error(map, $"{context}: name at least one PagerDuty id in 'schedule_ids' or 'escalation_policy_ids', or nobody could ever be on call");
            return null;
        }

        var levels = new List<int>();
        if (YamlFieldReader.Find(map, "escalation_levels") is { } levelsNode)
        {
            if (levelsNode is not YamlSequence list || list.Items.Count == 0)
            {
                fields.Error(levelsNode, $"{context}: 'escalation_levels' must be a non-empty list of levels, like [1] or [1, 2]");
            }
            else
            {
                foreach (var item in list.Items)
                {
                    if (fields.ReadInt(item, "each entry of 'escalation_levels'", context) is { } level)
                    {
                        if (level < 1)
                        {
                            fields.Error(item, $"{context}: escalation level {level} is not a level; PagerDuty levels start at 1");
                        }
                        else
                        {
                            levels.Add(level);
                        }
                    }
                }
            }
        }

        return new PagerDutyOnCallSource(schedules, policies, levels.Distinct().ToArray());
    }

    private OpsgenieOnCallSource? ReadOpsgenie(YamlNode node)
    {
        const string context = "in 'oncall.opsgenie'";
        if (node is not YamlMapping map)
        {
            fields.Error(node, $"'oncall.opsgenie' must be a mapping with 'schedule_ids', not {node.Kind}");
            return null;
        }

        fields.CheckKeys(map, context, OpsgenieKeys);
        if (fields.Require(map, "schedule_ids", context) is null)
        {
            return null;
        }

        var schedules = Ids(map, "schedule_ids", context);
        return schedules.Count == 0 ? null : new OpsgenieOnCallSource(schedules);
    }

    private List<string> Ids(YamlMapping map, string key, string context)
    {
        if (YamlFieldReader.Find(map, key) is not { } node)
        {
            return [];
        }

        var ids = new List<string>();
        foreach (var scalar in fields.ReadStrings(node, key, context, allowEmpty: false))
        {
            // Ids go into a URL path or query; anything but letters, digits, '-' and '_' is a paste mistake.
            if (IdShape().IsMatch(scalar.Value))
            {
                ids.Add(scalar.Value);
            }
            else
            {
                fields.Error(scalar, $"{context}: '{scalar.Value}' in '{key}' is not an id (letters, digits, '-' and '_' only)");
            }
        }

        return ids.Distinct(StringComparer.Ordinal).ToList();
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,128}$")]
    private static partial Regex IdShape();
}
