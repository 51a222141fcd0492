using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Permissions;
using PscaleBot.Commands.Policy.Yaml;
using PscaleBot.Commands.Text;

namespace PscaleBot.Commands.Policy;

/// <summary>
/// Reads the policy file's lists of names and patterns (sub-commands, organizations, databases, permissions) into
/// <see cref="GlobSet"/>s. A name must be known and a pattern must match something known, so a typo is an error
/// rather than a rule that silently matches nothing.
/// </summary>
/// <param name="fields">Reads the values and collects the errors.</param>
internal sealed class PolicyPatternReader(YamlFieldReader fields)
{
    private static readonly string[] KnownPermissions = PermissionCatalog.All.Select(p => p.Name).ToArray();

    /// <summary>A role's <c>commands:</c>: sub-command names from <see cref="SubCommands.All"/>, or patterns matching one.</summary>
    public GlobSet ReadCommands(YamlNode node, string context)
    {
        var globs = new List<Glob>();
        foreach (var item in fields.ReadStrings(node, "commands", context, allowEmpty: false))
        {
            var value = item.Value;
            if (value.Contains('*') || value.Contains('?'))
            {
                var glob = CompilePattern(item, "commands", context);
                if (glob is not null && !SubCommands.All.Any(glob.IsMatch))
                {
                    fields.Error(item, $"{context}: command pattern '{value}' matches no sub-command; known: {string.Join(", ", SubCommands.All)}");
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
                fields.Error(item, $"{context}: unknown sub-command '{value}' ({hint})");
            }
        }

        return new GlobSet(globs);
    }

    /// <summary>Organization or database names and patterns: any name may exist at PlanetScale, so only the pattern syntax is checked.</summary>
    public GlobSet ReadNamePatterns(YamlNode node, string key, string context)
    {
        var globs = new List<Glob>();
        foreach (var item in fields.ReadStrings(node, key, context, allowEmpty: true))
        {
            if (CompilePattern(item, key, context) is { } glob)
            {
                globs.Add(glob);
            }
        }

        return new GlobSet(globs);
    }

    /// <summary>Service-token permission names from the catalog, or patterns matching at least one.</summary>
    public GlobSet ReadPermissions(YamlNode node, string key, string context)
    {
        var globs = new List<Glob>();
        foreach (var item in fields.ReadStrings(node, key, context, allowEmpty: true))
        {
            var value = item.Value;
            if (value.Contains('*') || value.Contains('?'))
            {
                if (CompilePattern(item, key, context) is { } glob)
                {
                    if (KnownPermissions.Any(glob.IsMatch))
                    {
                        globs.Add(glob);
                    }
                    else
                    {
                        fields.Error(item, $"{context}: permission pattern '{value}' matches no permission");
                    }
                }
            }
            else if (PermissionCatalog.IsKnown(value))
            {
                globs.Add(Glob.Compile(value));
            }
            else
            {
                fields.Error(item, $"{context}: unknown permission '{value}'{YamlFieldReader.DidYouMean(value, KnownPermissions)}");
            }
        }

        return new GlobSet(globs);
    }

    private Glob? CompilePattern(YamlScalar item, string key, string context)
    {
        var glob = Glob.TryCompile(item.Value, out var problem);
        if (glob is null)
        {
            fields.Error(item, $"{context}: bad pattern '{item.Value}' in '{key}': {problem}");
        }

        return glob;
    }
}
