using PscaleBot.Commands.Results.Tables;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Results.Rendering;

namespace PscaleBot.Commands.Tests.Results.Rendering;

/// <summary><c>access list</c> in JSON and CSV: read back, the same rows in the same order as the table people see.</summary>
public sealed class AccessListRenderingTests
{
    private readonly TextResultRenderer renderer = new(new FakeTimeProvider(ResultSamples.Now));
    private readonly AccessListResult sample = (AccessListResult)ResultSamples.All["access-list"];

    [Fact]
    public void Json_rows_come_in_the_tables_order_with_absolute_times_and_null_for_an_organization_level_grant()
    {
        using var json = JsonDocument.Parse(renderer.Render(sample, OutputFormat.Json));

        var rows = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(["r-7kq2", "g-8wtz", "g-4m9x"], rows.Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(["request", "grant", "grant"], rows.Select(r => r.GetProperty("kind").GetString()));
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("database").ValueKind);
        Assert.Equal("2026-11-28T11:55:00Z", rows[1].GetProperty("until").GetString());
        Assert.Equal(["read_branch", "connect_branch"], rows[0].GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(JsonValueKind.Null, rows[0].GetProperty("note").ValueKind);
    }

    [Fact]
    public void Csv_reads_back_one_record_per_row_with_the_note_quoted()
    {
        var records = CsvReader.Parse(renderer.Render(sample, OutputFormat.Csv));

        Assert.Equal(["Kind", "ID", "Status", "Requester", "Organization", "TokenID", "Database", "Permissions", "Until", "Note"], records[0]);
        Assert.Equal(["r-7kq2", "g-8wtz", "g-4m9x"], records.Skip(1).Select(r => r[1]));
        Assert.Equal("INC-42, \"replica lag\"", records[3][9]);
        Assert.Equal("read_organization;read_databases", records[2][7]);
        Assert.Equal("", records[2][6]);
    }

    [Fact]
    public void The_human_format_is_the_tables_view()
    {
        Assert.Equal(TableViewText.Render(TableViews.For(sample), ResultSamples.Now), renderer.Render(sample, OutputFormat.Human));
    }

    [Fact]
    public void Nothing_pending_is_words_for_people_an_empty_array_in_json_and_only_the_header_in_csv()
    {
        var empty = new AccessListResult([], ResultSamples.Now);

        Assert.Equal("No pending access requests or active grants.", renderer.Render(empty, OutputFormat.Human));
        Assert.Equal("[]", renderer.Render(empty, OutputFormat.Json));
        var records = CsvReader.Parse(renderer.Render(empty, OutputFormat.Csv));
        Assert.Equal("Kind", Assert.Single(records)[0]);
    }
}
