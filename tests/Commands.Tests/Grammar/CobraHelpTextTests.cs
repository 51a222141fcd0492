using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Permissions;

namespace PscaleBot.Commands.Tests.Grammar;

public sealed class CobraHelpTextTests
{
    private static readonly CobraHelpText Help = new();

    private static string Text(string? topic, Func<string, bool>? isAllowed = null) =>
        Help.Build(topic, isAllowed ?? (_ => true)).Text;

    private static string[] Lines(string text) => text.Split('\n');

    [Fact]
    public void Overview_lists_every_command_with_the_cli_help_texts_when_all_are_allowed()
    {
        var text = Text(null);
        Assert.StartsWith("pscale-bot manages PlanetScale service tokens from chat", text);
        Assert.Contains("\nUsage:\n  service-token <command> [flags]\n  access <command> [flags]\n  help [topic]\n", text);
        Assert.Contains("\nAvailable Commands:\n", text);
        var lines = Lines(text);
        Assert.Contains("  service-token add-access      add access to a service token in the organization", lines);
        Assert.Contains("  service-token create          create a service token for the organization", lines);
        Assert.Contains("  service-token delete          delete an entire service token in an organization", lines);
        Assert.Contains("  service-token delete-access   delete access granted to a service token in the organization", lines);
        Assert.Contains("  service-token list            list service tokens for the organization", lines);
        Assert.Contains("  service-token show            show a service token in the organization", lines);
        Assert.Contains("  service-token show-access     fetch a service token and its accesses", lines);
        Assert.Contains("  access approve                approve a pending access request", lines);
        Assert.Contains("  whoami                        show who you are, where you are, and your roles here", lines);
        Assert.DoesNotContain("hidden", text);
        Assert.EndsWith("Use \"help <command>\" for more information about a command, and \"help permissions\" for the permission names.", text);
    }

    [Fact]
    public void Overview_lists_families_in_order_service_token_then_access_then_bot()
    {
        var lines = Lines(Text(null));
        var create = Array.IndexOf(lines, lines.First(l => l.StartsWith("  service-token create", StringComparison.Ordinal)));
        var approve = Array.IndexOf(lines, lines.First(l => l.StartsWith("  access approve", StringComparison.Ordinal)));
        var whoami = Array.IndexOf(lines, lines.First(l => l.StartsWith("  whoami", StringComparison.Ordinal)));
        Assert.True(create < approve && approve < whoami);
    }

    [Fact]
    public void Overview_shows_only_what_is_allowed_and_counts_the_rest()
    {
        var asked = new List<string>();
        var text = Text(null, name =>
        {
            asked.Add(name);
            return name is "list" or "show";
        });

        Assert.Contains("  service-token list   list service tokens for the organization", Lines(text));
        Assert.Contains("  service-token show   show a service token in the organization", Lines(text));
        Assert.DoesNotContain("add-access", text);
        Assert.DoesNotContain("access approve", text);
        Assert.DoesNotContain("audit", text);
        Assert.Contains("  help     ", text);
        Assert.Contains("  whoami   ", text);
        Assert.Contains("15 commands are hidden because your roles here do not allow them.", text);
        Assert.Contains("create", asked);
        Assert.Contains("access-approve", asked);
    }

    [Fact]
    public void One_hidden_command_is_counted_in_the_singular()
    {
        Assert.Contains("1 command is hidden because your roles here do not allow it.", Text(null, name => name != "delete"));
    }

    [Fact]
    public void Overview_says_so_when_the_caller_has_no_rights_here()
    {
        var text = Text(null, _ => false);
        Assert.Contains("You have no rights to run service-token or access commands here: your roles in this place allow only `help` and `whoami`.", text);
        Assert.Contains("  help     Help about any command", Lines(text));
        Assert.DoesNotContain("service-token list", text);
        Assert.DoesNotContain("hidden", text);
    }

    [Fact]
    public void Overview_has_the_global_flags_in_cobra_layout()
    {
        var lines = Lines(Text(null));
        Assert.Contains("Global Flags:", lines);
        Assert.Contains("  -f, --format string   Show output in a specific format. Possible values: [human, json, csv]", lines);
        Assert.Contains("      --org string      The organization for the current user (default: the bot's configured organization)", lines);
        Assert.Contains(lines, l => l.StartsWith("      --debug     ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("      --dry-run   ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("      --public    ", StringComparison.Ordinal));
    }

    [Fact]
    public void Add_access_help_has_usage_flags_examples_and_permissions()
    {
        var text = Text("add-access");
        var lines = Lines(text);
        Assert.Equal("add access to a service token in the organization", lines[0]);
        Assert.Contains("Usage:\n  service-token add-access <TOKEN_ID> <PERMISSION>... [--database DB] [flags]\n", text);
        Assert.Contains("      --database string   The database to add access to", lines);
        Assert.Contains("  -h, --help              help for add-access", lines);
        Assert.Contains(lines, l => l.StartsWith("      --for duration      ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("      --reason string     ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("      --break-glass       ", StringComparison.Ordinal));
        Assert.Contains("Examples:", lines);
        Assert.Contains("  pscale service-token add-access <token id> read_branch delete_branch create_branch --database <database name>", lines);
        Assert.Contains("  pscale service-token add-access <token id> delete_databases create_databases", lines);
        Assert.Contains("Global Flags:", lines);
        Assert.Contains(lines, l => l.StartsWith("  Organization permissions (without --database): read_organization, ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  Database permissions (with --database DB): read_database, ", StringComparison.Ordinal) && l.Contains("read_branch"));
        Assert.DoesNotContain("do not allow", text);
    }

    [Fact]
    public void Flags_are_sorted_and_aligned_like_cobra()
    {
        var lines = Lines(Text("create"));
        var start = Array.IndexOf(lines, "Flags:");
        Assert.Equal(
            [
                "  -h, --help           help for create",
                "      --name string    optional name for the service token",
            ],
            lines[(start + 1)..(start + 3)]);
        Assert.StartsWith("      --ttl duration   ", lines[start + 3]);
    }

    [Fact]
    public void Delete_access_help_has_its_own_database_text_and_a_corrected_example()
    {
        var lines = Lines(Text("delete-access"));
        Assert.Contains("      --database string   The database to remove access to", lines);
        Assert.Contains("  pscale service-token delete-access <token id> read_branch --database <database name>", lines);
        Assert.Contains("  pscale service-token delete-access <token id> delete_databases", lines);
    }

    [Theory]
    [InlineData("create", "create a service token for the organization", "  service-token create [--name NAME] [--ttl TTL] [flags]")]
    [InlineData("list", "list service tokens for the organization", "  service-token list [flags]")]
    [InlineData("show", "show a service token in the organization", "  service-token show <TOKEN_ID> [flags]")]
    [InlineData("delete", "delete an entire service token in an organization", "  service-token delete <TOKEN_ID> [flags]")]
    [InlineData("show-access", "fetch a service token and its accesses", "  service-token show-access <TOKEN_ID> [flags]")]
    [InlineData("service-token show-access", "fetch a service token and its accesses", "  service-token show-access <TOKEN_ID> [flags]")]
    [InlineData("audit", "show recent audit entries", "  audit [--limit N] [flags]")]
    [InlineData("whoami", "show who you are, where you are, and your roles here", "  whoami [flags]")]
    [InlineData("access-approve", "approve a pending access request", "  access approve <REQUEST_ID> [flags]")]
    [InlineData("access approve", "approve a pending access request", "  access approve <REQUEST_ID> [flags]")]
    [InlineData("approve", "approve a pending access request", "  access approve <REQUEST_ID> [flags]")]
    [InlineData("access-extend", "extend an active time-bound grant", "  access extend <GRANT_ID> --for DURATION [--reason \"…\"] [flags]")]
    [InlineData("ADD-ACCESS", "add access to a service token in the organization", "  service-token add-access <TOKEN_ID> <PERMISSION>... [--database DB] [flags]")]
    public void Every_command_has_its_own_help(string topic, string firstLine, string usage)
    {
        var lines = Lines(Text(topic));
        Assert.Equal(firstLine, lines[0]);
        Assert.Equal(usage, lines[Array.IndexOf(lines, "Usage:") + 1]);
        Assert.Contains("Flags:", lines);
        Assert.Contains("Global Flags:", lines);
    }

    [Fact]
    public void Help_for_a_command_the_caller_may_not_run_says_so()
    {
        var text = Text("delete", name => name == "list");
        Assert.StartsWith("delete an entire service token in an organization", text);
        Assert.EndsWith("Your roles here do not allow `service-token delete`. Type `whoami` to see your roles here.", text);
    }

    [Fact]
    public void Service_token_help_lists_its_allowed_sub_commands_alphabetically()
    {
        var text = Text("service-token", name => name is "list" or "show-access" or "add-access");
        Assert.StartsWith("Create, list, and manage access for service tokens\n", text);
        Assert.Contains("Usage:\n  service-token [command]\n", text);
        Assert.Contains(
            "Available Commands:\n" +
            "  add-access    add access to a service token in the organization\n" +
            "  list          list service tokens for the organization\n" +
            "  show-access   fetch a service token and its accesses\n",
            text);
        Assert.Contains("  -h, --help   help for service-token", Lines(text));
        Assert.Contains("6 commands are hidden because your roles here do not allow them.", text);
        Assert.EndsWith("Use \"help service-token [command]\" for more information about a command.", text);
    }

    [Fact]
    public void Access_help_describes_access_requests_and_lists_allowed_commands()
    {
        var text = Text("access", name => name is "access-list" or "access-approve" or "access-deny");
        Assert.StartsWith("Request, approve and manage time-bound access for service tokens\n", text);
        Assert.Contains("only after someone approves", text);
        Assert.Contains("--for 2h --reason \"incident 4711\"", text);
        Assert.Contains("they are removed again when the time is up", text);
        Assert.Contains(
            "Available Commands:\n" +
            "  approve   approve a pending access request\n" +
            "  deny      deny a pending access request\n" +
            "  list      list pending access requests and active time-bound grants\n",
            text);
        Assert.DoesNotContain("revoke", text);
        Assert.Contains("3 commands are hidden because your roles here do not allow them.", text);
    }

    [Fact]
    public void Access_help_without_rights_still_describes_requests_and_says_none_are_allowed()
    {
        var text = Text("access", _ => false);
        Assert.Contains("only after someone approves", text);
        Assert.DoesNotContain("Available Commands:", text);
        Assert.Contains("You have no rights to run `access` commands here. Type `whoami` to see your roles here.", text);
    }

    [Fact]
    public void Permissions_help_lists_every_permission_with_its_description_by_scope()
    {
        var text = Text("permissions");
        foreach (var permission in PermissionCatalog.All)
        {
            Assert.Contains(Lines(text), l => l.StartsWith("  " + permission.Name + " ", StringComparison.Ordinal) && l.EndsWith(permission.Description, StringComparison.Ordinal));
        }

        var organization = text.IndexOf("Organization permissions (grant without --database):", StringComparison.Ordinal);
        var database = text.IndexOf("Database permissions (grant with --database <name>):", StringComparison.Ordinal);
        Assert.True(organization >= 0 && database > organization);
        Assert.True(text.IndexOf("  create_databases ", StringComparison.Ordinal) < database);
        Assert.True(text.IndexOf("  read_branch ", StringComparison.Ordinal) > database);
        Assert.EndsWith("Plural names (read_branches) and manage_* names are OAuth scopes, not service-token permissions.", text);
    }

    [Theory]
    [InlineData("ad-access", "Unknown help topic `ad-access`. Did you mean `add-access`?\nType `help` to see the commands you can use here.")]
    [InlineData("acess", "Unknown help topic `acess`. Did you mean `access`?\nType `help` to see the commands you can use here.")]
    [InlineData("access aprove", "Unknown help topic `access aprove`. Did you mean `access-approve`?\nType `help` to see the commands you can use here.")]
    [InlineData("permisions", "Unknown help topic `permisions`. Did you mean `permissions`?\nType `help` to see the commands you can use here.")]
    [InlineData("xyzzy", "Unknown help topic `xyzzy`.\nType `help` to see the commands you can use here.")]
    public void Unknown_topics_name_the_closest(string topic, string expected) => Assert.Equal(expected, Text(topic));

    [Fact]
    public void A_help_command_from_the_parser_always_has_a_help_text()
    {
        var parser = new ServiceTokenCommandParser();
        foreach (var line in new[] { "help", "service-token", "access", "help permissions", "service-token add-access -h", "access extend --help", "help access approve", "help nope" })
        {
            var command = Assert.IsType<HelpCommand>(parser.Parse(line).Command);
            Assert.False(string.IsNullOrWhiteSpace(Help.Build(command.Topic, _ => true).Text));
        }
    }

    [Fact]
    public void Every_command_in_the_grammar_has_a_policy_name_the_policy_file_knows()
    {
        Assert.Equal(SubCommands.All.OrderBy(n => n), CommandGrammar.Commands.Select(c => c.PolicyName).OrderBy(n => n));
    }

    [Fact]
    public void Is_allowed_is_required() =>
        Assert.Throws<ArgumentNullException>(() => Help.Build(null, null!));
}
