using PscaleBot.Commands.Grammar;

namespace PscaleBot.Commands.Tests.Grammar;

/// <summary>Lines that parse, and the exact command each one becomes.</summary>
public sealed class ParserCommandTests
{
    private static readonly ServiceTokenCommandParser Parser = new();

    private static T Parsed<T>(string text) where T : BotCommand
    {
        var outcome = Parser.Parse(text);
        Assert.True(outcome.Succeeded, $"'{text}' failed: {outcome.Error?.Message}");
        Assert.Null(outcome.Error);
        return Assert.IsType<T>(outcome.Command);
    }

    [Theory]
    [InlineData("service-token list")]
    [InlineData("pscale service-token list")]
    [InlineData("/pscale service-token list")]
    [InlineData("@pscale service-token list")]
    [InlineData("PSCALE Service-Token LIST")]
    [InlineData("  service-token   list  ")]
    [InlineData("`pscale service-token list`")]
    [InlineData("```pscale service-token list```")]
    [InlineData("service-token\u00A0list")]
    [InlineData("service-token\nlist")]
    [InlineData("service-token\u200B list")]
    public void List_is_recognised_with_any_prefix_and_chat_wrapping(string text)
    {
        var command = Parsed<ListTokensCommand>(text);
        Assert.Equal(CommonOptions.Default, command.Options);
        Assert.Equal("list", command.PolicyName);
        Assert.False(command.IsMutating);
    }

    [Fact]
    public void Create_without_flags_has_no_name_and_no_ttl()
    {
        var command = Parsed<CreateTokenCommand>("service-token create");
        Assert.Null(command.Name);
        Assert.Null(command.Ttl);
        Assert.True(command.IsMutating);
    }

    [Theory]
    [InlineData("service-token create --name ci --ttl 3600", "ci", 3600)]
    [InlineData("service-token create --name=ci --ttl=90m", "ci", 5400)]
    [InlineData("service-token create --ttl 2h --name \"deploy bot\"", "deploy bot", 7200)]
    [InlineData("service-token create --ttl 7d --name “deploy bot”", "deploy bot", 604800)]
    [InlineData("service-token create --ttl 1h30m --name ‘it’s mine’", "it’s mine", 5400)]
    [InlineData("service-token create --name 'don't panic' --ttl 1d12h", "don't panic", 129600)]
    [InlineData("--ttl 45s service-token --name x create", "x", 45)]
    [InlineData("service-token create --name=\"a b\" --ttl=60", "a b", 60)]
    [InlineData("service-token create —name ci —ttl 3600", "ci", 3600)]
    [InlineData("service-token create –-name ci --ttl 3600", "ci", 3600)]
    [InlineData("service-token create --name „Grüße“ --ttl 60", "Grüße", 60)]
    [InlineData("service-token create --name «prod» --ttl 60", "prod", 60)]
    public void Create_reads_name_and_ttl_in_every_spelling(string text, string name, int seconds)
    {
        var command = Parsed<CreateTokenCommand>(text);
        Assert.Equal(name, command.Name);
        Assert.Equal(TimeSpan.FromSeconds(seconds), command.Ttl);
    }

    [Theory]
    [InlineData("service-token show hnmkbklsndgi", "hnmkbklsndgi")]
    [InlineData("service-token show 6hnhqpmd0fv7 --org acme", "6hnhqpmd0fv7")]
    public void Show_takes_the_token_id(string text, string id)
    {
        Assert.Equal(id, Parsed<ShowTokenCommand>(text).TokenId);
    }

    [Fact]
    public void Delete_and_show_access_take_the_token_id()
    {
        var delete = Parsed<DeleteTokenCommand>("service-token delete txhc257pxjuc");
        Assert.Equal("txhc257pxjuc", delete.TokenId);
        Assert.True(delete.IsMutating);
        Assert.Equal("txhc257pxjuc", Parsed<ShowAccessCommand>("service-token show-access txhc257pxjuc").TokenId);
    }

    [Theory]
    [InlineData("service-token add-access abc123 read_branch --database prod", new[] { "read_branch" })]
    [InlineData("service-token add-access abc123 read_branch,create_branch --database prod", new[] { "read_branch", "create_branch" })]
    [InlineData("service-token add-access abc123 read_branch, create_branch --database prod", new[] { "read_branch", "create_branch" })]
    [InlineData("service-token add-access abc123 READ_BRANCH Create_Branch --database prod", new[] { "read_branch", "create_branch" })]
    [InlineData("service-token add-access abc123 read_branch read_branch create_branch READ_BRANCH --database prod", new[] { "read_branch", "create_branch" })]
    [InlineData("service-token add-access abc123 create_branch,read_branch,,connect_branch, --database prod", new[] { "create_branch", "read_branch", "connect_branch" })]
    [InlineData("service-token add-access --database prod abc123 read_branch", new[] { "read_branch" })]
    [InlineData("service-token --database=prod add-access abc123 read_branch", new[] { "read_branch" })]
    [InlineData("service-token add-access abc123 \"read_branch create_branch\" --database prod", new[] { "read_branch create_branch" })]
    public void Add_access_reads_permissions_in_order_without_duplicates(string text, string[] expected)
    {
        var outcome = Parser.Parse(text);
        if (expected[0].Contains(' '))
        {
            // A quoted pair is one word, not two permissions: it must be refused, not split silently.
            Assert.False(outcome.Succeeded);
            Assert.Equal("unknown permission `read_branch create_branch`: type `help permissions` for the list", outcome.Error!.Message);
            return;
        }

        var command = Assert.IsType<AddAccessCommand>(outcome.Command);
        Assert.Equal("abc123", command.TokenId);
        Assert.Equal(expected, command.Permissions);
        Assert.Equal("prod", command.Database);
        Assert.Null(command.Duration);
        Assert.Null(command.Reason);
        Assert.False(command.BreakGlass);
    }

    [Fact]
    public void Add_access_of_organization_permissions_has_no_database()
    {
        var command = Parsed<AddAccessCommand>("service-token add-access abc123 delete_databases create_databases");
        Assert.Equal(["delete_databases", "create_databases"], command.Permissions);
        Assert.Null(command.Database);
    }

    [Fact]
    public void Add_access_reads_for_reason_and_break_glass()
    {
        var command = Parsed<AddAccessCommand>(
            "service-token add-access abc123 connect_production_branch --database prod --for 2h --reason \"incident 4711: replica lag\" --break-glass");
        Assert.Equal(TimeSpan.FromHours(2), command.Duration);
        Assert.Equal("incident 4711: replica lag", command.Reason);
        Assert.True(command.BreakGlass);
    }

    [Fact]
    public void Add_access_accepts_the_permissions_the_docs_omit_but_the_openapi_lists()
    {
        var command = Parsed<AddAccessCommand>("service-token add-access abc123 promote_branches review_deploy_request --database prod");
        Assert.Equal(["promote_branches", "review_deploy_request"], command.Permissions);
        Assert.Equal(["write_organization"], Parsed<AddAccessCommand>("service-token add-access abc123 write_organization").Permissions);
    }

    [Fact]
    public void Delete_access_reads_permissions_and_database()
    {
        var command = Parsed<DeleteAccessCommand>("service-token delete-access abc123 read_branch,delete_branch --database staging");
        Assert.Equal(["read_branch", "delete_branch"], command.Permissions);
        Assert.Equal("staging", command.Database);
        Assert.True(command.IsMutating);
        Assert.Equal(["delete_databases"], Parsed<DeleteAccessCommand>("service-token delete-access abc123 delete_databases").Permissions);
    }

    [Theory]
    [InlineData("service-token list --org acme", "acme", OutputFormat.Human, false, false, false)]
    [InlineData("service-token list -f json", null, OutputFormat.Json, false, false, false)]
    [InlineData("service-token list -fjson", null, OutputFormat.Json, false, false, false)]
    [InlineData("service-token list -f=csv", null, OutputFormat.Csv, false, false, false)]
    [InlineData("service-token list --format CSV", null, OutputFormat.Csv, false, false, false)]
    [InlineData("service-token list --format=human --debug", null, OutputFormat.Human, true, false, false)]
    [InlineData("--dry-run service-token list --public", null, OutputFormat.Human, false, true, true)]
    [InlineData("service-token list --debug=true --public=false", null, OutputFormat.Human, true, false, false)]
    [InlineData("service-token list -org acme -format json", "acme", OutputFormat.Json, false, false, false)]
    public void Common_flags_are_read_anywhere(string text, string? org, OutputFormat format, bool debug, bool dryRun, bool isPublic)
    {
        var command = Parsed<ListTokensCommand>(text);
        Assert.Equal(new CommonOptions(org, format, dryRun, debug, isPublic), command.Options);
    }

    [Fact]
    public void Double_dash_ends_flags()
    {
        var command = Parsed<CreateTokenCommand>("service-token create --name -- ");
        Assert.Equal("--", command.Name);
    }

    [Theory]
    [InlineData("whoami")]
    [InlineData("pscale whoami")]
    [InlineData("WHOAMI -f json")]
    public void Whoami(string text) => Assert.Equal("whoami", Parsed<WhoAmICommand>(text).PolicyName);

    [Theory]
    [InlineData("audit", 20)]
    [InlineData("audit --limit 1", 1)]
    [InlineData("audit --limit=500", 500)]
    [InlineData("audit --limit 050", 50)]
    public void Audit_limit_defaults_to_20(string text, int limit) => Assert.Equal(limit, Parsed<AuditCommand>(text).Limit);

    [Fact]
    public void Audit_source_planetscale_reads_the_organizations_log_under_the_audit_policy_name()
    {
        var command = Parsed<PlanetScaleAuditCommand>("audit --source planetscale --limit 5");
        Assert.Equal((5, "audit"), (command.Limit, command.PolicyName));
        Assert.IsType<AuditCommand>(Parser.Parse("audit --source bot").Command);
        var error = Parser.Parse("audit --source splunk");
        Assert.Null(error.Command);
        Assert.Contains("invalid value `splunk` for `--source`: use `bot` or `planetscale`", error.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_verify_is_its_own_command_and_verify_alone_is_not_one()
    {
        Assert.IsType<AuditVerifyCommand>(Parser.Parse("audit verify").Command);
        Assert.Null(Parser.Parse("verify").Command);
        Assert.Null(Parser.Parse("audit verify everything").Command);
        Assert.Null(Parser.Parse("audit verify --limit 5").Command);
    }

    [Fact]
    public void Access_commands_map_to_their_records()
    {
        Assert.IsType<AccessListCommand>(Parser.Parse("access list").Command);
        Assert.Equal("req42", Parsed<AccessApproveCommand>("access approve req42").RequestId);
        Assert.Equal("req42", Parsed<AccessApproveCommand>("access approve #req42").RequestId);
        var deny = Parsed<AccessDenyCommand>("access deny req42 --reason \"not during the freeze\"");
        Assert.Equal(("req42", "not during the freeze"), (deny.RequestId, deny.Reason));
        Assert.Null(Parsed<AccessDenyCommand>("access deny req42").Reason);
        Assert.Equal("g-7", Parsed<AccessRevokeCommand>("access revoke g-7").GrantId);
        var extend = Parsed<AccessExtendCommand>("access extend g-7 --for 1h --reason 'still digging'");
        Assert.Equal(("g-7", TimeSpan.FromHours(1), "still digging"), (extend.GrantId, extend.Duration, extend.Reason));
        Assert.Equal("req42", Parsed<AccessCancelCommand>("access cancel req42").RequestId);
    }

    [Theory]
    [InlineData("access list", "access-list", false)]
    [InlineData("access approve r1", "access-approve", true)]
    [InlineData("access deny r1", "access-deny", true)]
    [InlineData("access revoke g1", "access-revoke", true)]
    [InlineData("access extend g1 --for 30m", "access-extend", true)]
    [InlineData("access cancel r1", "access-cancel", true)]
    [InlineData("audit", "audit", false)]
    [InlineData("audit verify", "audit-verify", false)]
    [InlineData("AUDIT Verify -f json", "audit-verify", false)]
    [InlineData("whoami", "whoami", false)]
    [InlineData("help", "help", false)]
    [InlineData("service-token list", "list", false)]
    [InlineData("service-token show abc", "show", false)]
    [InlineData("service-token show-access abc", "show-access", false)]
    [InlineData("service-token create", "create", true)]
    [InlineData("service-token delete abc", "delete", true)]
    [InlineData("service-token add-access abc read_branch --database d", "add-access", true)]
    [InlineData("service-token delete-access abc read_branch --database d", "delete-access", true)]
    public void Every_policy_name_is_reachable(string text, string policyName, bool mutating)
    {
        var outcome = Parser.Parse(text);
        Assert.Equal(policyName, outcome.Command!.PolicyName);
        Assert.Equal(mutating, outcome.Command.IsMutating);
        Assert.Contains(policyName, SubCommands.All);
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("   ", null)]
    [InlineData("pscale", null)]
    [InlineData("help", null)]
    [InlineData("--help", null)]
    [InlineData("-h", null)]
    [InlineData("help --help", null)]
    [InlineData("service-token", "service-token")]
    [InlineData("service-token help", "service-token")]
    [InlineData("service-token --help", "service-token")]
    [InlineData("service-token -h", "service-token")]
    [InlineData("service-token add-access --help", "add-access")]
    [InlineData("service-token add-access -h", "add-access")]
    [InlineData("service-token add-access abc123 --help", "add-access")]
    [InlineData("service-token create --name x -h", "create")]
    [InlineData("service-token help add-access", "add-access")]
    [InlineData("help add-access", "add-access")]
    [InlineData("help service-token add-access", "add-access")]
    [InlineData("help service-token", "service-token")]
    [InlineData("help access", "access")]
    [InlineData("help access approve", "access-approve")]
    [InlineData("help access-approve", "access-approve")]
    [InlineData("access", "access")]
    [InlineData("access help", "access")]
    [InlineData("access help approve", "access-approve")]
    [InlineData("access approve --help", "access-approve")]
    [InlineData("whoami --help", "whoami")]
    [InlineData("audit -h", "audit")]
    [InlineData("help permissions", "permissions")]
    [InlineData("help ad-access", "ad-access")]
    [InlineData("help access frobnicate", "access frobnicate")]
    [InlineData("HELP Add-Access", "add-access")]
    public void Help_in_every_form(string text, string? topic)
    {
        var command = Parsed<HelpCommand>(text);
        Assert.Equal(topic, command.Topic);
        Assert.Equal("help", command.PolicyName);
    }

    [Fact]
    public void Help_keeps_the_common_flags()
    {
        var command = Parsed<HelpCommand>("help add-access -f json --org acme");
        Assert.Equal(new CommonOptions("acme", OutputFormat.Json), command.Options);
    }

    [Fact]
    public void Emoji_and_right_to_left_text_survive_in_values()
    {
        Assert.Equal("🚒 حريق", Parsed<AccessDenyCommand>("access deny r1 --reason \"🚒 حريق\"").Reason);
    }

    [Fact]
    public void Redacted_text_is_the_normalised_line_when_nothing_is_secret()
    {
        var outcome = Parser.Parse("`service-token add-access abc123 read_branch --database prod.io`");
        Assert.Equal("service-token add-access abc123 read_branch --database prod.io", outcome.RedactedText);
        Assert.False(outcome.ExposedSecret);
    }
}
