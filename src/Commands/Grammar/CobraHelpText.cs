using System.Text;
using PscaleBot.Commands.Permissions;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;
using PscaleBot.Commands.Text;

namespace PscaleBot.Commands.Grammar;

/// <summary>
/// Help in the style of the <c>pscale</c> CLI (cobra): a description, <c>Usage:</c>, <c>Available Commands:</c>,
/// <c>Flags:</c>, <c>Global Flags:</c> and examples, with the CLI's own help texts. Lists only the
/// commands the caller may run here and says how many are hidden.
/// </summary>
public sealed class CobraHelpText : IHelpText
{
    /// <summary>Help topic listing every service-token permission.</summary>
    public const string PermissionsTopic = "permissions";

    private const string ServiceTokenDescription = "Create, list, and manage access for service tokens";

    private const string AccessDescription = "Request, approve and manage time-bound access for service tokens";

    private const string AccessLong =
        "Some roles may grant permissions only for a limited time, or only after someone approves.\n" +
        "Ask with add-access and --for, for example:\n\n" +
        "  service-token add-access <TOKEN_ID> read_branch --database <name> --for 2h --reason \"incident 4711\"\n\n" +
        "When approval is needed, the request is posted for the approvers; once approved the permissions\n" +
        "are granted, and they are removed again when the time is up. These commands manage those\n" +
        "requests and grants.";

    /// <inheritdoc />
    public HelpResult Build(string? topic, Func<string, bool> isAllowed)
    {
        ArgumentNullException.ThrowIfNull(isAllowed);
        bool Allowed(string policyName) => SubCommands.AlwaysAllowed.Contains(policyName) || isAllowed(policyName);

        var key = topic?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(key) || key is "pscale" or "pscale-bot")
        {
            return new HelpResult(Overview(Allowed));
        }

        if (key == CommandGrammar.ServiceTokenWord)
        {
            return new HelpResult(Family(CommandFamily.ServiceToken, CommandGrammar.ServiceTokenWord, ServiceTokenDescription, null, Allowed));
        }

        if (key == CommandGrammar.AccessWord)
        {
            return new HelpResult(Family(CommandFamily.Access, CommandGrammar.AccessWord, AccessDescription, AccessLong, Allowed));
        }

        if (key is PermissionsTopic or "permission")
        {
            return new HelpResult(Permissions());
        }

        var spec = FindCommand(key);
        return spec is null ? new HelpResult(UnknownTopic(topic!)) : new HelpResult(Command(spec, Allowed(spec.PolicyName)));
    }

    private static CommandSpec? FindCommand(string key)
    {
        var words = key.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var spaced = string.Join(' ', words);
        if (words.Length > 1 && words[0] == CommandGrammar.ServiceTokenWord)
        {
            spaced = string.Join(' ', words.Skip(1));
        }

        return CommandGrammar.Commands.FirstOrDefault(c => c.PolicyName == spaced || c.Path == spaced)
            ?? CommandGrammar.InFamily(CommandFamily.Access).FirstOrDefault(c => c.Word == spaced);
    }

    private static string Overview(Func<string, bool> allowed)
    {
        var text = new StringBuilder();
        text.AppendLine("pscale-bot manages PlanetScale service tokens from chat, with the `pscale service-token` grammar.");
        text.AppendLine();
        text.AppendLine("Usage:");
        text.AppendLine("  service-token <command> [flags]");
        text.AppendLine("  access <command> [flags]");
        text.AppendLine("  help [topic]");
        text.AppendLine();

        var visible = CommandGrammar.Commands
            .Where(c => allowed(c.PolicyName))
            .OrderBy(c => c.Family)
            .ThenBy(c => c.Path, StringComparer.Ordinal)
            .ToList();
        var hidden = CommandGrammar.Commands.Count - visible.Count;

        text.AppendLine("Available Commands:");
        AppendTable(text, visible.Select(c => (c.Path, c.Short)));
        text.AppendLine();
        text.AppendLine("Global Flags:");
        AppendFlags(text, CommandGrammar.CommonFlags);

        var onlyAlways = visible.All(c => SubCommands.AlwaysAllowed.Contains(c.PolicyName));
        if (onlyAlways)
        {
            text.AppendLine();
            text.AppendLine("You have no rights to run service-token or access commands here: your roles in this place allow only `help` and `whoami`.");
            text.AppendLine("Type `whoami` to see your roles here, and ask an admin for a role binding if you need one.");
        }
        else if (hidden > 0)
        {
            text.AppendLine();
            text.AppendLine(hidden == 1
                ? "1 command is hidden because your roles here do not allow it."
                : $"{hidden} commands are hidden because your roles here do not allow them.");
        }

        text.AppendLine();
        text.Append("Use \"help <command>\" for more information about a command, and \"help permissions\" for the permission names.");
        return text.ToString();
    }

    private static string Family(CommandFamily family, string word, string description, string? longText, Func<string, bool> allowed)
    {
        var members = CommandGrammar.InFamily(family).OrderBy(c => c.Word, StringComparer.Ordinal).ToList();
        var visible = members.Where(c => allowed(c.PolicyName)).ToList();
        var hidden = members.Count - visible.Count;

        var text = new StringBuilder();
        text.AppendLine(description);
        text.AppendLine();
        if (longText is not null)
        {
            text.AppendLine(longText);
            text.AppendLine();
        }

        text.AppendLine("Usage:");
        text.AppendLine($"  {word} [command]");
        text.AppendLine();
        if (visible.Count > 0)
        {
            text.AppendLine("Available Commands:");
            AppendTable(text, visible.Select(c => (c.Word, c.Short)));
            text.AppendLine();
        }

        text.AppendLine("Flags:");
        AppendFlags(text, [CommandGrammar.HelpFlag with { Description = $"help for {word}" }]);
        text.AppendLine();
        text.AppendLine("Global Flags:");
        AppendFlags(text, CommandGrammar.CommonFlags);
        text.AppendLine();

        if (visible.Count == 0)
        {
            text.AppendLine($"You have no rights to run `{word}` commands here. Type `whoami` to see your roles here.");
            text.AppendLine();
        }
        else if (hidden > 0)
        {
            text.AppendLine(hidden == 1
                ? "1 command is hidden because your roles here do not allow it."
                : $"{hidden} commands are hidden because your roles here do not allow them.");
            text.AppendLine();
        }

        text.Append($"Use \"help {word} [command]\" for more information about a command.");
        return text.ToString();
    }

    private static string Command(CommandSpec spec, bool allowed)
    {
        var text = new StringBuilder();
        text.AppendLine(spec.Short);
        text.AppendLine();
        if (spec.Long is not null)
        {
            text.AppendLine(spec.Long);
            text.AppendLine();
        }

        text.AppendLine("Usage:");
        text.AppendLine($"  {spec.Usage["Usage: ".Length..]}");
        text.AppendLine();

        if (spec.Examples is not null)
        {
            text.AppendLine("Examples:");
            text.AppendLine(spec.Examples);
            text.AppendLine();
        }

        if (spec.PolicyName == "help")
        {
            text.AppendLine("Topics:");
            text.AppendLine("  service-token, access, permissions, or any command (add-access, access approve, …)");
            text.AppendLine();
        }

        text.AppendLine("Flags:");
        AppendFlags(text, spec.Flags.Append(CommandGrammar.HelpFlag with { Description = $"help for {spec.Word}" }));
        text.AppendLine();
        text.AppendLine("Global Flags:");
        AppendFlags(text, CommandGrammar.CommonFlags);

        if (spec.PolicyName is "add-access" or "delete-access")
        {
            text.AppendLine();
            text.AppendLine("Permissions:");
            text.AppendLine("  Organization permissions (without --database): " + NamesIn(ResourceKind.Organization));
            text.AppendLine("  Database permissions (with --database DB): " + NamesIn(ResourceKind.Database));
        }

        if (!allowed)
        {
            text.AppendLine();
            text.AppendLine($"Your roles here do not allow `{spec.Path}`. Type `whoami` to see your roles here.");
        }

        return text.ToString().TrimEnd();
    }

    private static string Permissions()
    {
        var text = new StringBuilder();
        text.AppendLine("Service-token permissions, as add-access and delete-access take them.");
        text.AppendLine();
        text.AppendLine("Organization permissions (grant without --database):");
        AppendTable(text, PermissionCatalog.All.Where(p => p.Scope == ResourceKind.Organization).Select(p => (p.Name, p.Description)));
        text.AppendLine();
        text.AppendLine("Database permissions (grant with --database <name>):");
        AppendTable(text, PermissionCatalog.All.Where(p => p.Scope == ResourceKind.Database).Select(p => (p.Name, p.Description)));
        text.AppendLine();
        text.Append("Plural names (read_branches) and manage_* names are OAuth scopes, not service-token permissions.");
        return text.ToString();
    }

    private static string UnknownTopic(string topic)
    {
        var shown = topic.Length <= 40 ? topic : topic[..40] + "…";
        var candidates = CommandGrammar.Commands.Select(c => c.PolicyName)
            .Concat([CommandGrammar.ServiceTokenWord, CommandGrammar.AccessWord, PermissionsTopic]);
        var closest = NameSuggester.Closest(topic.Trim().Replace(' ', '-'), candidates);
        var text = new StringBuilder();
        text.Append($"Unknown help topic `{shown}`.");
        if (closest is not null)
        {
            text.Append($" Did you mean `{closest}`?");
        }

        text.AppendLine();
        text.Append("Type `help` to see the commands you can use here.");
        return text.ToString();
    }

    private static string NamesIn(ResourceKind scope) =>
        string.Join(", ", PermissionCatalog.All.Where(p => p.Scope == scope).Select(p => p.Name));

    private static void AppendTable(StringBuilder text, IEnumerable<(string Name, string Description)> rows)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            return;
        }

        var width = list.Max(r => r.Name.Length);
        foreach (var (name, description) in list)
        {
            text.Append("  ").Append(name.PadRight(width)).Append("   ").AppendLine(description);
        }
    }

    // Cobra's flag table: "  -f, --format string   usage" / "      --database string   usage", sorted by name.
    private static void AppendFlags(StringBuilder text, IEnumerable<FlagSpec> flags)
    {
        var rows = flags
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => (Left: (f.Shorthand is { } s ? $"  -{s}, --{f.Name}" : $"      --{f.Name}") + (f.ValueType is null ? string.Empty : " " + f.ValueType), f.Description))
            .ToList();
        var width = rows.Max(r => r.Left.Length);
        foreach (var (left, description) in rows)
        {
            text.Append(left.PadRight(width)).Append("   ").AppendLine(description);
        }
    }
}
