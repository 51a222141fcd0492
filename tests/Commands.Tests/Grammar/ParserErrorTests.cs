using PscaleBot.Commands.Grammar;

namespace PscaleBot.Commands.Tests.Grammar;

/// <summary>Lines that do not parse, and the exact words a person reads about each.</summary>
public sealed class ParserErrorTests
{
    private const string AddAccessUsage = "Usage: service-token add-access <TOKEN_ID> <PERMISSION>... [--database DB] [flags]";
    private const string DeleteAccessUsage = "Usage: service-token delete-access <TOKEN_ID> <PERMISSION>... [--database DB] [flags]";
    private const string CreateUsage = "Usage: service-token create [--name NAME] [--ttl TTL] [flags]";
    private const string ShowUsage = "Usage: service-token show <TOKEN_ID> [flags]";
    private const string DeleteUsage = "Usage: service-token delete <TOKEN_ID> [flags]";
    private const string ListUsage = "Usage: service-token list [flags]";
    private const string GeneralUsage = "Usage: service-token <command> [flags] | access <command> [flags] | whoami | audit [--limit N] | help [topic]";
    private const string FamilyUsage = "Usage: service-token <command> [flags]";

    private static readonly ServiceTokenCommandParser Parser = new();

    private static ParseError Failed(string text)
    {
        var outcome = Parser.Parse(text);
        Assert.False(outcome.Succeeded, $"'{text}' parsed as {outcome.Command}");
        Assert.Null(outcome.Command);
        return Assert.IsType<ParseError>(outcome.Error);
    }

    private static void AssertError(string text, string message, string usage)
    {
        var error = Failed(text);
        Assert.Equal(message, error.Message);
        Assert.Equal(usage, error.Usage);
    }

    [Theory]
    [InlineData("service-token add-access abc123 raed_branch --database prod", "unknown permission `raed_branch`: did you mean `read_branch`?")]
    [InlineData("service-token add-access abc123 read_brnach --database prod", "unknown permission `read_brnach`: did you mean `read_branch`?")]
    [InlineData("service-token add-access abc123 read-branch --database prod", "unknown permission `read-branch`: did you mean `read_branch`?")]
    [InlineData("service-token add-access abc123 conect_production_branch --database prod", "unknown permission `conect_production_branch`: did you mean `connect_production_branch`?")]
    [InlineData("service-token add-access abc123 create_databse", "unknown permission `create_databse`: did you mean `create_databases`?")]
    [InlineData("service-token add-access abc123 frobnicate --database prod", "unknown permission `frobnicate`: type `help permissions` for the list")]
    [InlineData("service-token add-access abc123 read_branches --database prod", "`read_branches` is an OAuth scope, not a service-token permission: service tokens use `read_branch`")]
    [InlineData("service-token add-access abc123 delete_production_branches --database prod", "`delete_production_branches` is an OAuth scope, not a service-token permission: service tokens use `delete_production_branch`")]
    [InlineData("service-token add-access abc123 read_deploy_requests --database prod", "`read_deploy_requests` is an OAuth scope, not a service-token permission: service tokens use `read_deploy_request`")]
    [InlineData("service-token add-access abc123 write_comments --database prod", "`write_comments` is an OAuth scope, not a service-token permission: service tokens use `create_comment`")]
    [InlineData("service-token add-access abc123 manage_passwords --database prod", "`manage_passwords` is an OAuth scope, not a service-token permission, and service tokens have no equivalent (type `help permissions` for the list)")]
    [InlineData("service-token add-access abc123 manage_production_branch_passwords --database prod", "`manage_production_branch_passwords` is an OAuth scope, not a service-token permission, and service tokens have no equivalent (type `help permissions` for the list)")]
    [InlineData("service-token add-access abc123 database:read_branches --database prod", "`database:read_branches` is an OAuth scope, not a service-token permission: use `read_branch`")]
    [InlineData("service-token add-access abc123 organization:create_databases", "`organization:create_databases` is an OAuth scope, not a service-token permission: use `create_databases`")]
    [InlineData("service-token add-access abc123 read_members", "`read_members` is an OAuth scope, not a service-token permission, and service tokens have no equivalent (type `help permissions` for the list)")]
    [InlineData("service-token add-access abc123 read_comments --database prod", "`read_comments` is an OAuth scope, not a service-token permission: service tokens use `read_comment`")]
    [InlineData("service-token add-access abc123 connect_branches --database prod", "unknown permission `connect_branches`: service tokens use the singular `connect_branch` (plural names are OAuth scopes)")]
    public void Unknown_permissions_name_what_was_meant(string text, string message) =>
        AssertError(text, message, AddAccessUsage);

    [Fact]
    public void Several_unknown_permissions_are_each_explained_on_their_own_line()
    {
        AssertError(
            "service-token add-access abc123 raed_branch read_branches,conect_branch --database prod",
            "unknown permission `raed_branch`: did you mean `read_branch`?\n" +
            "`read_branches` is an OAuth scope, not a service-token permission: service tokens use `read_branch`\n" +
            "unknown permission `conect_branch`: did you mean `connect_branch`?",
            AddAccessUsage);
    }

    [Fact]
    public void Many_unknown_permissions_are_summarised_after_five()
    {
        var error = Failed("service-token add-access abc123 a1 a2 a3 a4 a5 a6 a7 --database prod");
        var lines = error.Message.Split('\n');
        Assert.Equal(6, lines.Length);
        Assert.Equal("unknown permission `a1`: type `help permissions` for the list", lines[0]);
        Assert.Equal("…and 2 more unknown permissions", lines[5]);
    }

    [Theory]
    [InlineData("service-token add-access abc123 read_branch", "`read_branch` is a database permission: add `--database <name>`")]
    [InlineData("service-token add-access abc123 read_branch,create_branch", "`read_branch`, `create_branch` are database permissions: add `--database <name>`")]
    [InlineData("service-token add-access abc123 create_databases --database prod", "`create_databases` is an organization permission: remove `--database`")]
    [InlineData("service-token add-access abc123 create_databases delete_databases --database prod", "`create_databases`, `delete_databases` are organization permissions: remove `--database`")]
    [InlineData("service-token add-access abc123 create_databases read_branch --database prod",
        "`create_databases` is an organization permission and `read_branch` is a database permission: grant them separately, the database ones with `--database <name>` and the organization ones without it")]
    [InlineData("service-token add-access abc123 create_databases read_branch",
        "`create_databases` is an organization permission and `read_branch` is a database permission: grant them separately, the database ones with `--database <name>` and the organization ones without it")]
    public void Permission_scope_must_match_database(string text, string message) => AssertError(text, message, AddAccessUsage);

    [Fact]
    public void Delete_access_checks_scope_too()
    {
        AssertError("service-token delete-access abc123 read_branch", "`read_branch` is a database permission: add `--database <name>`", DeleteAccessUsage);
        AssertError("service-token delete-access abc123 raed_branch --database p", "unknown permission `raed_branch`: did you mean `read_branch`?", DeleteAccessUsage);
    }

    [Theory]
    [InlineData("service-token add-access", "missing TOKEN_ID and PERMISSION: `service-token add-access` needs a token ID and at least one permission to add, like `service-token add-access hnmkbklsndgi read_branch --database <name>`", AddAccessUsage)]
    [InlineData("service-token add-access abc", "missing PERMISSION: name at least one permission to add, like `read_branch`", AddAccessUsage)]
    [InlineData("service-token add-access abc , ,", "missing PERMISSION: name at least one permission, like `read_branch`", AddAccessUsage)]
    [InlineData("service-token delete-access abc --database prod", "missing PERMISSION: name at least one permission to remove, like `read_branch`", DeleteAccessUsage)]
    [InlineData("service-token delete", "missing TOKEN_ID: `service-token delete` needs the ID of a token (`service-token list` shows them)", DeleteUsage)]
    [InlineData("service-token show", "missing TOKEN_ID: `service-token show` needs the ID of a token (`service-token list` shows them)", ShowUsage)]
    [InlineData("service-token show-access", "missing TOKEN_ID: `service-token show-access` needs the ID of a token (`service-token list` shows them)", "Usage: service-token show-access <TOKEN_ID> [flags]")]
    [InlineData("access approve", "missing REQUEST_ID: `access approve` needs the ID of a request (`access list` shows them)", "Usage: access approve <REQUEST_ID> [flags]")]
    [InlineData("access revoke", "missing GRANT_ID: `access revoke` needs the ID of a grant (`access list` shows them)", "Usage: access revoke <GRANT_ID> [flags]")]
    [InlineData("access extend g1", "missing `--for`: say how much longer the grant should last, like `--for 1h`", "Usage: access extend <GRANT_ID> --for DURATION [--reason \"…\"] [flags]")]
    [InlineData("access extend --for 1h", "missing GRANT_ID: `access extend` needs the ID of a grant (`access list` shows them)", "Usage: access extend <GRANT_ID> --for DURATION [--reason \"…\"] [flags]")]
    [InlineData("access deny", "missing REQUEST_ID: `access deny` needs the ID of a request (`access list` shows them)", "Usage: access deny <REQUEST_ID> [--reason \"…\"] [flags]")]
    [InlineData("access cancel", "missing REQUEST_ID: `access cancel` needs the ID of a request (`access list` shows them)", "Usage: access cancel <REQUEST_ID> [flags]")]
    public void Missing_arguments_are_named(string text, string message, string usage) => AssertError(text, message, usage);

    [Theory]
    [InlineData("service-token show a b", "too many arguments for `service-token show`: unexpected `b`", ShowUsage)]
    [InlineData("service-token delete a b c", "too many arguments for `service-token delete`: unexpected `b` `c`", DeleteUsage)]
    [InlineData("service-token list now", "too many arguments for `service-token list`: unexpected `now`", ListUsage)]
    [InlineData("service-token create ci", "too many arguments for `service-token create`: unexpected `ci`", CreateUsage)]
    [InlineData("whoami please", "too many arguments for `whoami`: unexpected `please`", "Usage: whoami [flags]")]
    [InlineData("audit 50", "too many arguments for `audit`: unexpected `50`", "Usage: audit [--limit N] [flags]")]
    [InlineData("access list all", "too many arguments for `access list`: unexpected `all`", "Usage: access list [flags]")]
    [InlineData("access approve r1 r2", "too many arguments for `access approve`: unexpected `r2`", "Usage: access approve <REQUEST_ID> [flags]")]
    [InlineData("service-token list 1 2 3 4 5 6 7", "too many arguments for `service-token list`: unexpected `1` `2` `3` `4` `5` …", ListUsage)]
    public void Extra_arguments_are_refused(string text, string message, string usage) => AssertError(text, message, usage);

    [Theory]
    [InlineData("service-token ad-access abc read_branch", "unknown command `ad-access` for `service-token`: did you mean `add-access`?", FamilyUsage)]
    [InlineData("service-token lst", "unknown command `lst` for `service-token`: did you mean `list`?", FamilyUsage)]
    [InlineData("service-token delete_access abc", "unknown command `delete_access` for `service-token`: did you mean `delete-access`?", FamilyUsage)]
    [InlineData("service-token get-access abc", "unknown command `get-access` for `service-token`: did you mean `show-access`?", FamilyUsage)]
    [InlineData("service-token got-access abc", "unknown command `got-access` for `service-token`: type `help service-token` to see its commands", FamilyUsage)]
    [InlineData("service-token frobnicate", "unknown command `frobnicate` for `service-token`: type `help service-token` to see its commands", FamilyUsage)]
    [InlineData("access aprove r1", "unknown command `aprove` for `access`: did you mean `approve`?", "Usage: access <command> [flags]")]
    [InlineData("service-tokens list", "unknown command `service-tokens`: did you mean `service-token`?", GeneralUsage)]
    [InlineData("servicetoken list", "unknown command `servicetoken`: did you mean `service-token`?", GeneralUsage)]
    [InlineData("token list", "unknown command `token`: type `help` to see the commands", GeneralUsage)]
    [InlineData("whoamii", "unknown command `whoamii`: did you mean `whoami`?", GeneralUsage)]
    [InlineData("hlep", "unknown command `hlep`: did you mean `help`?", GeneralUsage)]
    [InlineData("lst", "unknown command `lst`: did you mean `service-token list`?", GeneralUsage)]
    [InlineData("xyzzy", "unknown command `xyzzy`: type `help` to see the commands", GeneralUsage)]
    public void Unknown_commands_suggest_the_closest(string text, string message, string usage) => AssertError(text, message, usage);

    [Theory]
    [InlineData("list", "`list` is a `service-token` command: type `service-token list`", ListUsage)]
    [InlineData("add-access abc read_branch", "`add-access` is a `service-token` command: type `service-token add-access`", AddAccessUsage)]
    [InlineData("approve r1", "`approve` is an `access` command: type `access approve`", "Usage: access approve <REQUEST_ID> [flags]")]
    public void Family_commands_without_their_prefix_say_how_to_type_them(string text, string message, string usage) =>
        AssertError(text, message, usage);

    [Theory]
    [InlineData("service-token add-access abc read_branch --databse prod", "unknown flag `--databse`: did you mean `--database`?", AddAccessUsage)]
    [InlineData("service-token list --ogr acme", "unknown flag `--ogr`: did you mean `--org`?", ListUsage)]
    [InlineData("service-token list --verbose", "unknown flag `--verbose` for `service-token list`", ListUsage)]
    [InlineData("service-token list -x", "unknown flag `-x` for `service-token list`", ListUsage)]
    [InlineData("service-token list --dryrun", "unknown flag `--dryrun`: did you mean `--dry-run`?", ListUsage)]
    [InlineData("service-token --formt json", "unknown flag `--formt`: did you mean `--format`?", FamilyUsage)]
    public void Unknown_flags_suggest_the_closest(string text, string message, string usage) => AssertError(text, message, usage);

    [Theory]
    [InlineData("service-token add-access abc read_branch --database prod --ttl 60", "`--ttl` is not a flag of `service-token add-access` (it belongs to `service-token create`)", AddAccessUsage)]
    [InlineData("service-token list --database prod", "`--database` is not a flag of `service-token list` (it belongs to `service-token add-access` and `service-token delete-access`)", ListUsage)]
    [InlineData("service-token delete-access abc read_branch --database prod --for 1h", "`--for` is not a flag of `service-token delete-access` (it belongs to `service-token add-access` and `access extend`)", DeleteAccessUsage)]
    [InlineData("service-token create --break-glass", "`--break-glass` is not a flag of `service-token create` (it belongs to `service-token add-access`)", CreateUsage)]
    [InlineData("access approve r1 --reason x", "`--reason` is not a flag of `access approve` (it belongs to `service-token add-access` and `access deny` and `access extend`)", "Usage: access approve <REQUEST_ID> [flags]")]
    public void Flags_of_other_commands_say_where_they_belong(string text, string message, string usage) =>
        AssertError(text, message, usage);

    [Theory]
    [InlineData("service-token add-access abc read_branch --database", "flag `--database` needs a value: `--database DB`", AddAccessUsage)]
    [InlineData("service-token add-access abc read_branch --database --org acme", "flag `--database` needs a value: `--database DB`", AddAccessUsage)]
    [InlineData("service-token list --org", "flag `--org` needs a value: `--org ORG`", ListUsage)]
    [InlineData("service-token list -f", "flag `--format` needs a value: `--format FORMAT`", ListUsage)]
    [InlineData("service-token create --name \"\"", "flag `--name` needs a value: `--name NAME`", CreateUsage)]
    [InlineData("access deny r1 --reason \"  \"", "flag `--reason` needs a value: `--reason \"…\"`", "Usage: access deny <REQUEST_ID> [--reason \"…\"] [flags]")]
    [InlineData("service-token create --ttl=", "flag `--ttl` needs a value: `--ttl TTL`", CreateUsage)]
    [InlineData("service-token create --ttl \"\"", "flag `--ttl` needs a value: `--ttl TTL`", CreateUsage)]
    [InlineData("service-token list --org=", "flag `--org` needs a value: `--org ORG`", ListUsage)]
    [InlineData("service-token add-access abc read_branch --database a --database b", "flag `--database` was given twice with different values: give it once", AddAccessUsage)]
    [InlineData("service-token list --debug=maybe", "flag `--debug` takes no value (or `true`/`false`), not `maybe`", ListUsage)]
    [InlineData("service-token list --format xml", "invalid value `xml` for `--format`: use `human`, `json` or `csv`", ListUsage)]
    [InlineData("service-token list --org \"acme corp\"", "invalid organization `acme corp`: use letters, digits, `-` and `_`", ListUsage)]
    [InlineData("service-token add-access abc read_branch --database ../prod", "invalid database name `../prod`: use letters, digits, `-` and `_`", AddAccessUsage)]
    public void Bad_flag_values_are_explained(string text, string message, string usage) => AssertError(text, message, usage);

    [Fact]
    public void The_same_flag_twice_with_the_same_value_is_fine()
    {
        Assert.True(Parser.Parse("service-token add-access abc read_branch --database a --database a").Succeeded);
    }

    [Theory]
    [InlineData("service-token create --ttl 0", "`--ttl` must be longer than zero")]
    [InlineData("service-token create --ttl 0h0m", "`--ttl` must be longer than zero")]
    [InlineData("service-token create --ttl -5", "`--ttl` must be positive, not `-5`")]
    [InlineData("service-token create --ttl=-1h", "`--ttl` must be positive, not `-1h`")]
    [InlineData("service-token create --ttl 2147483648", "`--ttl` is too long: at most 2147483647 seconds (about 68 years)")]
    [InlineData("service-token create --ttl 99999999999999999999999999999", "`--ttl` is too long: at most 2147483647 seconds (about 68 years)")]
    [InlineData("service-token create --ttl 999999999d", "`--ttl` is too long: at most 2147483647 seconds (about 68 years)")]
    [InlineData("service-token create --ttl 1.5h", "invalid duration `1.5h` for `--ttl`: use seconds (`3600`) or a duration like `90m`, `2h`, `7d` or `1h30m`")]
    [InlineData("service-token create --ttl soon", "invalid duration `soon` for `--ttl`: use seconds (`3600`) or a duration like `90m`, `2h`, `7d` or `1h30m`")]
    [InlineData("service-token create --ttl 1h1h", "invalid duration `1h1h` for `--ttl`: `h` appears twice; write it like `1h30m`")]
    public void Bad_ttl_values_are_explained(string text, string message) => AssertError(text, message, CreateUsage);

    [Theory]
    [InlineData("service-token add-access abc read_branch --database p --for 0", "`--for` must be longer than zero")]
    [InlineData("service-token add-access abc read_branch --database p --for 2 hours", "too many arguments for `service-token add-access`: unexpected `hours`")]
    [InlineData("service-token add-access abc read_branch --database p --for 2hours", "invalid duration `2hours` for `--for`: use seconds (`3600`) or a duration like `90m`, `2h`, `7d` or `1h30m`")]
    public void Bad_for_values_are_explained(string text, string message)
    {
        var error = Failed(text);
        if (message.StartsWith("too many", StringComparison.Ordinal))
        {
            // "2 hours": "hours" is read as a permission, and named as unknown.
            Assert.Equal("unknown permission `hours`: type `help permissions` for the list", error.Message);
            return;
        }

        Assert.Equal(message, error.Message);
        Assert.Equal(AddAccessUsage, error.Usage);
    }

    [Theory]
    [InlineData("audit --limit 0", "`--limit` must be from 1 to 500, not `0`")]
    [InlineData("audit --limit 501", "`--limit` must be from 1 to 500, not `501`")]
    [InlineData("audit --limit -3", "`--limit` must be from 1 to 500, not `-3`")]
    [InlineData("audit --limit 99999999999", "`--limit` must be from 1 to 500, not `99999999999`")]
    [InlineData("audit --limit ten", "invalid value `ten` for `--limit`: use a whole number from 1 to 500")]
    [InlineData("audit --limit 2.5", "invalid value `2.5` for `--limit`: use a whole number from 1 to 500")]
    public void Audit_limit_must_be_in_range(string text, string message) => AssertError(text, message, "Usage: audit [--limit N] [flags]");

    [Theory]
    [InlineData("service-token show a/b", "invalid token ID `a/b`: token IDs are 12 lower-case letters and digits, like `hnmkbklsndgi`")]
    [InlineData("service-token show ab?c=1", "invalid token ID `ab?c=1`: token IDs are 12 lower-case letters and digits, like `hnmkbklsndgi`")]
    [InlineData("service-token show <TOKEN_ID>", "replace `<TOKEN_ID>` with a real token ID (`service-token list` shows them)")]
    public void Token_ids_must_be_id_shaped(string text, string message) => AssertError(text, message, ShowUsage);

    [Fact]
    public void Request_ids_must_be_id_shaped()
    {
        AssertError("access approve ../../x", "invalid request ID `../../x`: use the ID `access list` shows", "Usage: access approve <REQUEST_ID> [flags]");
        AssertError("access revoke a:b", "invalid grant ID `a:b`: use the ID `access list` shows", "Usage: access revoke <GRANT_ID> [flags]");
    }

    [Theory]
    [InlineData("service-token create --name \"ci", "a quote (\") is opened but never closed: close it, or remove it")]
    [InlineData("access deny r1 --reason “freeze", "a quote (“) is opened but never closed: close it, or remove it")]
    [InlineData("access deny r1 --reason 'freeze", "a quote (') is opened but never closed: close it, or remove it")]
    public void Unbalanced_quotes_are_explained(string text, string message) => AssertError(text, message, GeneralUsage);

    [Fact]
    public void Help_takes_one_topic()
    {
        AssertError("help add-access delete-access", "`help` takes one topic, like `help add-access` or `help access approve`", "Usage: help [topic] [flags]");
    }

    [Fact]
    public void Too_long_input_is_refused_without_parsing()
    {
        var text = "service-token list " + new string('x', 5000);
        var outcome = Parser.Parse(text);
        Assert.False(outcome.Succeeded);
        Assert.Equal($"the command is too long ({text.Length} characters; the limit is 4000): send one command at a time", outcome.Error!.Message);
        Assert.Equal(GeneralUsage, outcome.Error.Usage);
        Assert.EndsWith($"…[{text.Length - 4000} more characters not kept]", outcome.RedactedText);
        Assert.True(outcome.RedactedText.Length < 4100);
    }

    [Fact]
    public void Input_of_exactly_the_limit_is_parsed()
    {
        var text = "access deny r1 --reason \"" + new string('x', 490) + "\"" + new string(' ', 4000 - 516);
        Assert.Equal(4000, text.Length);
        Assert.True(Parser.Parse(text).Succeeded);
    }

    [Fact]
    public void Reason_and_name_have_length_limits()
    {
        AssertError($"access deny r1 --reason \"{new string('x', 501)}\"", "`--reason` is too long (501 characters; at most 500)", "Usage: access deny <REQUEST_ID> [--reason \"…\"] [flags]");
        AssertError($"service-token create --name {new string('n', 256)}", "`--name` is too long (256 characters; at most 255)", CreateUsage);
    }

    [Fact]
    public void Null_input_is_the_help_overview_not_an_exception()
    {
        var outcome = Parser.Parse(null!);
        Assert.Null(Assert.IsType<HelpCommand>(outcome.Command).Topic);
        Assert.Equal(string.Empty, outcome.RedactedText);
    }

    [Fact]
    public void Errors_name_the_sub_command()
    {
        Assert.Equal("add-access", Failed("service-token add-access abc").SubCommand);
        Assert.Null(Failed("xyzzy").SubCommand);
    }

    [Theory]
    [InlineData("\0\0\0")]
    [InlineData("\u202Eservice-token list")]
    [InlineData("🔥🔥🔥")]
    [InlineData("\uD800")]
    [InlineData("service-token add-access \uDC00 read_branch --database p")]
    public void Odd_characters_give_an_error_not_an_exception(string text)
    {
        var outcome = Parser.Parse(text);
        if (outcome.Succeeded)
        {
            // Invisible control characters are dropped: "\0\0\0" is an empty line (help) and the
            // right-to-left override is removed, leaving a valid command.
            Assert.True(outcome.Command is HelpCommand or ListTokensCommand);
            return;
        }

        Assert.False(string.IsNullOrWhiteSpace(outcome.Error!.Message));
        Assert.StartsWith("Usage: ", outcome.Error.Usage);
    }
}
