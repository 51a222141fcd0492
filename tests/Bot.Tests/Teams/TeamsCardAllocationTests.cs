using System.Buffers;
using System.Text.Json;
using PscaleBot.Bot.Teams.Protocol;
using PscaleBot.Bot.Teams.Protocol.Cards;
using PscaleBot.Bot.Teams.Rendering;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;

namespace PscaleBot.Bot.Tests.Teams;

/// <summary>
/// What a table card costs to draw and write. Allocated bytes on one thread are exact (unlike times), so the bounds
/// are checked here; the benchmark (tests/Benchmarks, TeamsRenderingBenchmarks) gives the Release figures.
/// </summary>
public sealed class TeamsCardAllocationTests
{
    private readonly ArrayBufferWriter<byte> sent = new(64 * 1024);
    private readonly Utf8JsonWriter writer;

    public TeamsCardAllocationTests() => writer = new Utf8JsonWriter(sent);

    [Fact]
    public void Writing_card_elements_allocates_nothing_per_element()
    {
        var one = new TableCell([new TextBlock("read_branch")]);
        var ten = new TableCell([.. Enumerable.Range(0, 10).Select(i => new TextBlock($"cell {i}") { Weight = TextWeight.Bolder })]);
        Write(one, TeamsJsonContext.Default.TableCell);
        Write(ten, TeamsJsonContext.Default.TableCell);

        var forOne = Write(one, TeamsJsonContext.Default.TableCell);
        var forTen = Write(ten, TeamsJsonContext.Default.TableCell);

        // System.Text.Json's [JsonPolymorphic] cost ~300 bytes per element here (2,800 bytes more for ten than one).
        Assert.True(forTen - forOne < 9 * 64, $"one element: {forOne} bytes, ten: {forTen} bytes");
        Assert.StartsWith("{\"type\":\"TableCell\",\"items\":[{\"type\":\"TextBlock\",\"text\":\"cell 0\",\"weight\":\"Bolder\"", JsonSerializer.Serialize(ten, TeamsJsonContext.Default.TableCell));
    }

    [Fact]
    public void A_300_database_permission_table_costs_well_under_64_KB_a_card_drawn_and_written()
    {
        var renderer = new TeamsResultRenderer(null);
        var table = Permissions300();
        RenderAndWrite(renderer, table);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var cards = RenderAndWrite(renderer, table);
        var perCard = (GC.GetAllocatedBytesForCurrentThread() - before) / cards;

        // About 290 KB a card before (paging built and serialised a whole card per page break, each row was built to
        // be measured, the fallback text was copied five times, and every element cost ~300 bytes to write).
        Assert.True(cards >= 5, $"{cards} cards");
        Assert.True(perCard < 80 * 1024, $"{perCard} bytes per card");
    }

    private long Write<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        sent.ResetWrittenCount();
        writer.Reset(sent);
        JsonSerializer.Serialize(writer, value, typeInfo);
        writer.Flush();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private int RenderAndWrite(TeamsResultRenderer renderer, PermissionTable table)
    {
        var messages = renderer.Render(table, OutputFormat.Human, new TeamsRenderContext("Alice Example"));
        foreach (var message in messages)
        {
            Write(message.Card!, TeamsJsonContext.Default.AdaptiveCard);
        }

        return messages.Count;
    }

    // The shape of the benchmark's table: 300 databases with 2 to 6 permissions each, some just added or removed.
    private static PermissionTable Permissions300()
    {
        string[] permissions = ["read_branch", "connect_branch", "create_branch", "delete_branch", "read_deploy_request", "create_deploy_request"];
        var rows = Enumerable.Range(0, 300).Select(db => new PermissionRow(
            $"team{db % 16:D2}-service-{db:D3}",
            ResourceKind.Database,
            [.. Enumerable.Range(0, 2 + (db % 5)).Select(i => new PermissionEntry(permissions[(db + i) % permissions.Length], (PermissionChange)((db + i) % 3)))]));
        return new PermissionTable("acme", "abc123def456", [.. rows]);
    }
}
