using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using PscaleBot.Bot.Teams.Rendering;
using PscaleBot.Bot.Tests.Teams.Support;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;

namespace PscaleBot.Bot.Tests.Teams;

/// <summary>Tables of any size become valid 1.5 cards under the size limit, losing and duplicating no row.</summary>
public sealed class TeamsCardSizeTests
{
    private static readonly string[] Permissions =
        ["read_branch", "create_branch", "delete_branch", "connect_production_branch", "approve_deploy_request", "read_deploy_request", "create_comment", "delete_production_branch_password"];

    private static readonly Gen<PermissionTable> TableGen =
        Gen.Select(
            Gen.Int[0, 400],
            Gen.String[Gen.Char['a', 'z'], 1, 60],
            Gen.Int[1, Permissions.Length],
            (rows, nameStem, perRow) => new PermissionTable("acme", "abc123def456",
            [
                .. Enumerable.Range(0, rows).Select(i => new PermissionRow($"{nameStem}-{i}", ResourceKind.Database,
                    [.. Permissions.Take(perRow).Select((p, j) => new PermissionEntry(p, (PermissionChange)((i + j) % 3)))])),
            ]));

    [Fact]
    public void Permission_tables_of_every_size_split_into_valid_cards_under_the_limit()
    {
        TableGen.Sample(table =>
        {
            var messages = new TeamsResultRenderer(null).Render(table, OutputFormat.Human, new("Alice"));
            var cards = messages.Select(m => m.Card!).ToList();

            Assert.All(cards, card =>
            {
                Assert.True(AdaptiveCardElements.SizeInBytes(card) <= TeamsResultRenderer.MaxCardBytes);
                Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(card, PscaleBot.Bot.Teams.Protocol.TeamsJsonContext.Default.AdaptiveCard).Length, AdaptiveCardElements.SizeInBytes(card));
            });
            var json = cards.Select(TeamsWire.Json).ToList();
            Assert.All(json, card =>
            {
                Assert.Equal("AdaptiveCard", card["type"]!.GetValue<string>());
                Assert.Equal("1.5", card["version"]!.GetValue<string>());
                Assert.False(string.IsNullOrWhiteSpace(card["fallbackText"]!.GetValue<string>()));
            });

            var tables = json.SelectMany(c => c["body"]!.AsArray()).Where(e => e!["type"]!.GetValue<string>() == "Table").ToList();
            var shownResources = tables.SelectMany(t => DataRows(t!)).Select(cells => cells[0]).ToList();
            Assert.Equal(table.Rows.Select(r => r.ResourceName), shownResources);
            Assert.All(tables, t =>
            {
                Assert.True(t!["firstRowAsHeader"]!.GetValue<bool>());
                Assert.Equal(["Resource name", "Resource type", "Accesses"], HeaderRow(t));
                Assert.True(DataRows(t).Count <= TeamsResultRenderer.MaxRowsPerCard);
                Assert.All(t["columns"]!.AsArray(), c => Assert.Equal(1, c!["width"]!.GetValue<int>()));
            });
            if (cards.Count > 1)
            {
                Assert.All(json.Select((c, i) => (c, i)), x =>
                    Assert.EndsWith($"(part {x.i + 1} of {cards.Count})", x.c["body"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal));
            }
        }, iter: 60);
    }

    [Fact]
    public void A_large_table_really_is_split()
    {
        var messages = new TeamsResultRenderer(null).Render(SampleResults.Permissions(databases: 200, changes: true), OutputFormat.Human, new("Alice"));

        Assert.True(messages.Count >= 5);
    }

    [Fact]
    public void Huge_cells_are_truncated_so_one_row_still_fits()
    {
        var table = new PermissionTable("acme", "abc123def456", [new PermissionRow(new string('x', 50_000), ResourceKind.Database, [new PermissionEntry("read_branch")])]);

        var card = Assert.Single(new TeamsResultRenderer(null).Render(table, OutputFormat.Human, new("Alice"))).Card!;

        Assert.True(AdaptiveCardElements.SizeInBytes(card) <= TeamsResultRenderer.MaxCardBytes);
    }

    [Fact]
    public void Long_json_output_is_split_into_code_blocks_that_each_fit()
    {
        var renderer = new TeamsResultRenderer(new LongTextRenderer());

        var messages = renderer.Render(SampleResults.Permissions(), OutputFormat.Json, new("Alice"));

        Assert.True(messages.Count > 1);
        Assert.All(messages, m => Assert.True(m.Text!.Length <= TeamsResultRenderer.MaxTextChars + 8));
        Assert.Equal(string.Join('\n', Enumerable.Range(0, 5_000).Select(i => $"\"line {i}\"")),
            string.Join('\n', messages.Select(m => m.Text![4..^4])));
    }

    private sealed class LongTextRenderer : PscaleBot.Commands.Results.Rendering.ITextResultRenderer
    {
        public string Render(CommandResult result, OutputFormat format) => string.Join('\n', Enumerable.Range(0, 5_000).Select(i => $"\"line {i}\""));
    }

    private static List<string> HeaderRow(JsonNode table) => Cells(table["rows"]![0]!);

    private static List<List<string>> DataRows(JsonNode table) => [.. table["rows"]!.AsArray().Skip(1).Select(r => Cells(r!))];

    private static List<string> Cells(JsonNode row) =>
        [.. row["cells"]!.AsArray().Select(c => c!["items"]![0]!["text"]!.GetValue<string>())];
}
