using System.Text.Json;
using System.Text.Json.Nodes;
using PscaleBot.Bot.Slack;
using PscaleBot.Bot.Slack.Api;
using PscaleBot.Bot.Slack.Rendering;
using PscaleBot.Bot.Tests.Slack.Fakes;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;

namespace PscaleBot.Bot.Tests.Slack;

public sealed class SlackBlockKitRendererTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private readonly SlackBlockKitRenderer renderer = new(new FakeTextRenderer());

    private IReadOnlyList<SlackMessage> Render(CommandResult result, SlackTableStyle style = SlackTableStyle.Table, int maxMessages = 5, OutputFormat format = OutputFormat.Human) =>
        renderer.Render([result], format, new SlackRenderContext("U123", At, style), maxMessages);

    private static PermissionTable Permissions(int databases, int permissionsEach = 3) =>
        new("acme", "abc123def456",
        [
            .. Enumerable.Range(0, databases).Select(i => new PermissionRow($"database-{i:0000}", ResourceKind.Database,
                [.. PermissionCatalogNames.Take(permissionsEach).Select((p, j) => new PermissionEntry(p, j == 0 ? PermissionChange.Added : PermissionChange.Unchanged))])),
            new PermissionRow("acme", ResourceKind.Organization, [new PermissionEntry("read_organization"), new PermissionEntry("delete_databases", PermissionChange.Removed)]),
        ]);

    private static readonly string[] PermissionCatalogNames =
        [.. PscaleBot.Commands.Permissions.PermissionCatalog.All.Where(p => p.Scope == ResourceKind.Database).Select(p => p.Name)];

    private static TokenTable Tokens(int count) =>
        new("acme", TokenTableKind.List,
            [.. Enumerable.Range(0, count).Select(i => new ServiceToken($"tok{i:000000000}", $"deploy-bot-{i}", At.AddDays(-i), i % 2 == 0 ? At.AddDays(30) : null, null))]);

    private static void AssertWithinLimits(IReadOnlyList<SlackMessage> messages, int maxMessages)
    {
        Assert.InRange(messages.Count, 1, maxMessages);
        foreach (var message in messages)
        {
            Assert.Empty(SlackMessageLimits.Violations(message));
            // What Slack actually receives: the serialised JSON must parse and keep the blocks.
            var json = JsonNode.Parse(JsonSerializer.Serialize(message, SlackJsonContext.Default.SlackMessage))!;
            Assert.Equal(message.Blocks.Count, json["blocks"]!.AsArray().Count);
        }
    }

    private static int DataRows(IEnumerable<SlackMessage> messages) =>
        messages.SelectMany(m => m.Blocks).OfType<TableBlock>().Sum(t => t.Rows.Count - 1);

    public static TheoryData<int, SlackTableStyle> Sizes()
    {
        var data = new TheoryData<int, SlackTableStyle>();
        foreach (var size in new[] { 0, 1, 5, 98, 99, 100, 101, 250, 300, 500, 2000 })
        {
            data.Add(size, SlackTableStyle.Table);
            data.Add(size, SlackTableStyle.CodeBlock);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Permission_tables_of_every_size_stay_within_slack_limits(int databases, SlackTableStyle style)
    {
        AssertWithinLimits(Render(Permissions(databases), style), 5);
        AssertWithinLimits(Render(Permissions(databases, permissionsEach: 30), style, maxMessages: 3), 3);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Token_tables_of_every_size_stay_within_slack_limits(int tokens, SlackTableStyle style) =>
        AssertWithinLimits(Render(Tokens(tokens), style), 5);

    [Fact]
    public void Every_row_of_300_databases_is_shown_when_the_budget_allows_it()
    {
        var messages = Render(Permissions(300), SlackTableStyle.Table);
        var text = string.Concat(messages.Select(m => m.Blocks.Json().Raw()));
        Assert.Contains("database-0000", text);
        Assert.Contains("database-0299", text);
        Assert.DoesNotContain("Too long for one Slack reply", text);
    }

    [Fact]
    public void Tables_that_do_not_fit_in_table_blocks_fall_back_to_code_blocks_before_being_cut()
    {
        var messages = Render(Permissions(300), SlackTableStyle.Table, maxMessages: 3);
        AssertWithinLimits(messages, 3);
        var text = string.Concat(messages.Select(m => m.Blocks.Json().Raw()));
        Assert.DoesNotContain("\"table\"", text);
        Assert.Contains("database-0299", text);
    }

    [Fact]
    public void A_reply_too_large_for_its_budget_is_cut_with_a_note_saying_how_much_is_shown()
    {
        var messages = Render(Tokens(2000), SlackTableStyle.Table, maxMessages: 2);
        AssertWithinLimits(messages, 2);
        var note = messages[^1].Blocks.Json().Raw();
        Assert.Contains("of 2000 rows", note);
    }

    [Fact]
    public void Small_tables_use_one_table_block_with_a_header_row_a_header_and_a_context_line()
    {
        var message = Assert.Single(Render(Permissions(2)));
        var blocks = message.Blocks.Json().OfType<JsonObject>().ToList();
        Assert.Equal("header", (string?)blocks[0]["type"]);
        Assert.Equal("Access for token abc123def456", (string?)blocks[0]["text"]!["text"]);
        Assert.Equal("context", (string?)blocks[1]["type"]);
        var context = blocks[1].Raw();
        Assert.Contains("acme", context);
        Assert.Contains("<@U123>", context);
        Assert.Contains("<!date^", context);
        var table = Assert.Single(blocks, b => (string?)b["type"] == "table");
        var rows = table["rows"]!.AsArray();
        Assert.Equal(4, rows.Count);
        Assert.Contains("Resource name", rows[0]!.Raw());
        Assert.Contains("Access for token abc123def456", message.Text);
    }

    [Fact]
    public void Added_permissions_are_bold_with_a_plus_and_removed_ones_struck_through_with_a_minus_as_in_text()
    {
        var json = Render(Permissions(1)).Single().Blocks.Json().Raw();
        Assert.Contains("""{"type":"text","text":"+read_database","style":{"bold":true}}""", json);
        Assert.Contains("""{"type":"text","text":"-delete_databases","style":{"strike":true}}""", json);
        Assert.Contains("+ marks access just added; - marks access just removed.", json);

        var code = Render(Permissions(1), SlackTableStyle.CodeBlock).Single().Blocks.Json().Raw();
        Assert.Contains("+read_database", code);
        Assert.Contains("-delete_databases", code);
        Assert.Contains("```", code);
        Assert.Contains("+ marks access just added; - marks access just removed.", code);
    }

    [Fact]
    public void User_and_api_text_is_escaped_in_mrkdwn()
    {
        var json = Render(new MessageResult("Deleted <!channel> & <@U999> > done")).Single().Blocks.Json().Raw();
        var text = (string)JsonNode.Parse(json)![0]!["text"]!["text"]!;
        Assert.Equal("Deleted &lt;!channel&gt; &amp; &lt;@U999&gt; &gt; done", text);

        var error = Render(new ErrorResult("Bad <x>", "Try <y> & z", "pscale <cmd>", ErrorCategory.Usage)).Single().Blocks.Json().Raw();
        Assert.DoesNotContain("<x>", error);
        Assert.DoesNotContain("<y>", error);
        Assert.Contains("&lt;cmd&gt;", error);

        var codeTable = Render(new PermissionTable("acme<>", "t<1>", [new PermissionRow("db<&>", ResourceKind.Database, [new PermissionEntry("read_branch")])]), SlackTableStyle.CodeBlock)
            .Single().Blocks.Json().Raw();
        Assert.Contains("db&lt;&amp;&gt;", codeTable);
        Assert.DoesNotContain("db<&>", codeTable);
    }

    [Fact]
    public void A_created_token_shows_its_secret_in_the_blocks_but_never_in_the_fallback_text()
    {
        var created = new TokenTable("acme", TokenTableKind.Created,
            [new ServiceToken("newtoken0001", "ci", At, null, null, new TokenSecret("pscale_tkn_SECRET"))]);
        var message = Render(created).Single();
        Assert.Contains("pscale_tkn_SECRET", message.Blocks.Json().Raw());
        Assert.DoesNotContain("pscale_tkn_SECRET", message.Text);
    }

    [Fact]
    public void Json_and_csv_formats_use_the_text_renderer_in_a_code_block()
    {
        var json = Render(Tokens(2), format: OutputFormat.Json).Single().Blocks.Json().Raw();
        Assert.Contains("TokenTable &lt;&amp;&gt;", json);
        Assert.Contains("```", json);
        var csv = Render(Tokens(2), format: OutputFormat.Csv).Single().Blocks.Json().Raw();
        Assert.Contains("a,b\\n1,2", csv);
    }

    public static TheoryData<CommandResult> EveryKind() => new()
    {
        Permissions(0),
        Tokens(0),
        new TokenTable("acme", TokenTableKind.Show, [new ServiceToken("abc", null, At, null, At)]),
        new MessageResult("Token was successfully deleted.", MessageTone.Success),
        new MessageResult(new string('x', 7000), MessageTone.Warning),
        new ErrorResult("You may not.", null, null, ErrorCategory.Denied),
        new HelpResult(string.Join('\n', Enumerable.Range(0, 400).Select(i => $"  command-{i}   does thing {i}"))),
        new WhoAmIResult(new ChatIdentity(ChatPlatform.Slack, "slack:user:U1", ["slack:usergroup:S1"], "alice <a>", "slack:team:T1"),
            new ChatPlace(["slack:channel:C1"], false, "#ops"), ["viewer"], "acme"),
        new DryRunResult("Allowed by role oncall", "POST", "/organizations/acme/service-tokens/abc/access", """{"permissions":["read_branch"]}"""),
        new AuditTable([.. Enumerable.Range(0, 150).Select(i => new AuditEntry(At, "slack", "slack:channel:C1", "slack:user:U1", $"service-token show-access t{i}", "allowed", null, "ok", []))]),
        new AuditTable([]),
        new HelpResult(""),
    };

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void Every_result_kind_renders_within_limits_in_both_styles(CommandResult result)
    {
        AssertWithinLimits(Render(result, SlackTableStyle.Table), 5);
        AssertWithinLimits(Render(result, SlackTableStyle.CodeBlock), 5);
    }

    [Fact]
    public void Headers_longer_than_150_characters_are_cut()
    {
        var message = Render(new PermissionTable("acme", new string('t', 400), [])).Single();
        var header = Assert.IsType<HeaderBlock>(message.Blocks[0]).Text.Text;
        Assert.Equal(SlackMessageLimits.MaxHeaderText, header.Length);
    }

    [Fact]
    public void Table_rows_are_split_so_no_table_exceeds_100_rows_and_only_one_table_is_in_a_message()
    {
        var messages = Render(Tokens(250));
        Assert.Equal(250, DataRows(messages));
        Assert.All(messages, m => Assert.True(m.Blocks.OfType<TableBlock>().Count() <= 1));
    }

    [Fact]
    public void The_limit_checker_catches_what_slack_rejects()
    {
        var tooMany = new SlackMessage("x", [.. Enumerable.Range(0, 51).Select(_ => BlockKit.Divider())]);
        Assert.NotEmpty(SlackMessageLimits.Violations(tooMany));
        var twoTables = new SlackMessage("x", [BlockKit.Table([[BlockKit.RawCell("a")]]), BlockKit.Table([[BlockKit.RawCell("b")]])]);
        Assert.Contains(SlackMessageLimits.Violations(twoTables), v => v.Contains("2 tables"));
        var longSection = new SlackMessage("x", [new SectionBlock(SlackText.Mrkdwn(new string('a', 3001)))]);
        Assert.NotEmpty(SlackMessageLimits.Violations(longSection));
        Assert.NotEmpty(SlackMessageLimits.Violations(new SlackMessage("", [BlockKit.Divider()])));
    }

    [Theory]
    [InlineData(297, 3, SlackTableStyle.Table)]
    [InlineData(298, 3, SlackTableStyle.CodeBlock)]
    [InlineData(298, 4, SlackTableStyle.Table)]
    public void The_table_style_is_decided_once_from_how_many_table_blocks_the_rows_need(int databases, int maxMessages, SlackTableStyle expected)
    {
        // 99 data rows per table block, one table block per message: 297 rows fit three messages, 298 need four.
        var view = PscaleBot.Commands.Results.Tables.TableViews.For(Permissions(databases - 1));
        var table = SlackTable.Of(view, At);

        Assert.Equal(expected, SlackTables.StyleFor(SlackTableStyle.Table, [table], maxMessages));
        Assert.Equal(SlackTableStyle.CodeBlock, SlackTables.StyleFor(SlackTableStyle.CodeBlock, [table], 5));
        var messages = Render(Permissions(databases - 1), SlackTableStyle.Table, maxMessages);
        Assert.Equal(expected == SlackTableStyle.Table, messages.Any(m => m.Blocks.OfType<TableBlock>().Any()));
    }

    [Fact]
    public void Packed_messages_carry_the_very_blocks_they_were_given_without_copies()
    {
        var parts = new[] { new BlockPart(BlockKit.Header("h")), new BlockPart(BlockKit.Section("s")) };

        var message = Assert.Single(SlackMessageComposer.TryPack(parts, "fallback", 1)!);

        Assert.Same(parts[0].Block, message.Blocks[0]);
        Assert.Same(parts[1].Block, message.Blocks[1]);
    }
}
