using CsCheck;
using PscaleBot.Bot.Teams.Protocol.Cards;
using PscaleBot.Bot.Teams.Rendering;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;
using PscaleBot.Commands.Text;

namespace PscaleBot.Bot.Tests.Teams;

/// <summary>
/// The running card size paging relies on equals the serialized card, and pages break exactly where the next
/// row would push the card over the limit, with cells that stress escaping, padding and fence breaking.
/// </summary>
public sealed class TableCardSizeTests
{
    // Pieces that change the encoded size in different ways: escapes (backtick, quote, <, non-ASCII, emoji,
    // line separators), line endings the fallback turns into spaces, fences it breaks, and plain runs.
    private static readonly Gen<string> Piece = Gen.OneOfConst(
        "a", "`", "``", "```", " ", "\n", "\r\n", "é", "😀", "\"", "\\", "<", "\u2028", "xxxxxxxxxx");

    // Lengths around the padding limit (a cell longer than MaxPad gets two spaces whatever the width) as well as awkward text.
    private static readonly Gen<string> Cell = Gen.Frequency(
        (4, Piece.Array[0, 90].Select(string.Concat)),
        (2, Gen.Int[MonospaceTable.MaxPad - 2, MonospaceTable.MaxPad + 3].Select(n => new string('a', n))),
        (1, Gen.Const("")));

    private static readonly string[][] HeaderSets =
    [
        ["Resource", "Scope", "Permissions"],
        ["ID", "Name", "Created", "Expires", "Last used"],
        ["Time", "Who", "Where", "Command", "Decision", "Outcome"],
    ];

    [Fact]
    public void Running_size_equals_the_serialized_card_after_every_row_and_after_clear()
    {
        var gen = Gen.Int[0, HeaderSets.Length - 1].SelectMany(h =>
            Gen.Select(Cell.Array[HeaderSets[h].Length].Array[1, 25], Gen.Int[0, 24], Gen.Bool,
                (rows, clearAt, footnote) => (Headers: HeaderSets[h], Rows: rows, ClearAt: clearAt, Footnote: footnote ? "(added) = just granted" : null)));

        gen.Sample(x =>
        {
            const string Title = "Service tokens in acme (part 999 of 999)";
            const string Facts = "Org: acme · 25 tokens · Asked by: Alice";
            var empty = AdaptiveCardElements.SizeInBytes(TeamsResultRenderer.BuildTableCard(Title, Facts, x.Headers, [], x.Footnote));
            var size = new TableCardSize(empty, x.Headers);
            Assert.Equal(empty, size.Bytes);

            var page = new List<IReadOnlyList<string>>();
            foreach (var (row, i) in x.Rows.Select((r, i) => (r, i)))
            {
                if (i == x.ClearAt)
                {
                    size.Clear();
                    page.Clear();
                }

                size.Add(row);
                page.Add(row);
                Assert.Equal(AdaptiveCardElements.SizeInBytes(TeamsResultRenderer.BuildTableCard(Title, Facts, x.Headers, page, x.Footnote)), size.Bytes);
            }
        }, iter: 150);
    }

    [Fact]
    public void Awkward_tables_break_pages_exactly_where_the_next_row_would_not_fit()
    {
        var created = new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.Zero);
        var tokens = Gen.Select(Cell, Cell, Gen.Bool).Array[0, 150].Select(ts => (CommandResult)new TokenTable("acme", TokenTableKind.List,
            [.. ts.Select(t => new ServiceToken(t.Item1, t.Item3 ? null : t.Item2, created, null, t.Item3 ? created : null))]));
        var audit = Gen.Select(Cell, Cell, Cell, Cell).Array[0, 150].Select(es => (CommandResult)new AuditTable(
            [.. es.Select(e => new AuditEntry(created, "teams", e.Item1, e.Item2, e.Item3, "allowed", null, e.Item4, []))]));

        Gen.OneOf(tokens, audit).Sample(result =>
        {
            var cards = new TeamsResultRenderer(null).Render(result, OutputFormat.Human, new("Alice")).Select(m => m.Card!).ToList();
            var pages = cards.Select(DataRows).ToList();

            Assert.Equal(ExpectedRows(result), pages.SelectMany(p => p));
            for (var i = 0; i < cards.Count; i++)
            {
                Assert.InRange(pages[i].Count, 0, TeamsResultRenderer.MaxRowsPerCard);
                if (pages[i].Count > 1)
                {
                    Assert.True(AdaptiveCardElements.SizeInBytes(cards[i]) <= TeamsResultRenderer.MaxCardBytes, $"part {i + 1} is over the limit");
                }

                if (i < cards.Count - 1 && pages[i].Count < TeamsResultRenderer.MaxRowsPerCard)
                {
                    // The break is needed: with the next part's first row this part would be over the limit.
                    var widened = WidestCard(cards[i], [.. pages[i], pages[i + 1][0]]);
                    Assert.True(AdaptiveCardElements.SizeInBytes(widened) > TeamsResultRenderer.MaxCardBytes, $"part {i + 1} broke early");
                }
            }
        }, iter: 40);
    }

    private static IEnumerable<IReadOnlyList<string>> ExpectedRows(CommandResult result) => result switch
    {
        TokenTable t => t.Tokens.Select(x => (IReadOnlyList<string>)[x.Id, x.Name ?? "", x.LastUsedAt is null ? "never" : "2026-03-01 09:30 UTC", "never", "2026-03-01 09:30 UTC"]),
        AuditTable a => a.Entries.Select(e => (IReadOnlyList<string>)
            ["2026-03-01 09:30 UTC", e.Platform, e.Place, e.UserId, TextCut.Truncate(e.Command, 80), e.Decision, e.Reason ?? "", TextCut.Truncate(e.Outcome, 80)]),
        _ => throw new ArgumentOutOfRangeException(nameof(result)),
    };

    /// <summary>The card the renderer measures a page with: same facts and headers, the widest "part" title.</summary>
    private static AdaptiveCard WidestCard(AdaptiveCard card, List<IReadOnlyList<string>> rows)
    {
        var title = ((TextBlock)card.Body[0]).Text;
        title = title[..title.LastIndexOf(" (part ", StringComparison.Ordinal)] + " (part 999 of 999)";
        var headers = Cells(card.Body.OfType<Table>().First().Rows[0]);
        return TeamsResultRenderer.BuildTableCard(title, ((TextBlock)card.Body[1]).Text, headers, rows, null);
    }

    private static List<IReadOnlyList<string>> DataRows(AdaptiveCard card) =>
        [.. card.Body.OfType<Table>().SelectMany(t => t.Rows.Skip(1).Select(r => (IReadOnlyList<string>)Cells(r)))];

    private static List<string> Cells(TableRow row) => [.. row.Cells.Select(c => ((TextBlock)c.Items[0]).Text)];
}
