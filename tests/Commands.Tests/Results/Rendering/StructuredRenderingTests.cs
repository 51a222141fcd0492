using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Results;
using PscaleBot.Commands.Results.Rendering;

namespace PscaleBot.Commands.Tests.Results.Rendering;

/// <summary>JSON parsed back and CSV read back by a strict RFC 4180 reader.</summary>
public sealed class StructuredRenderingTests
{
    private readonly TextResultRenderer renderer = new(new FakeTimeProvider(ResultSamples.Now));

    [Fact]
    public void Create_json_keeps_the_CLI_key_order_and_the_secret()
    {
        using var json = JsonDocument.Parse(renderer.Render(ResultSamples.All["token-created"], OutputFormat.Json));

        Assert.Equal(
            ["id", "type", "token", "name", "created_at", "last_used_at", "expires_at"],
            json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(ResultSamples.Secret, json.RootElement.GetProperty("token").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("last_used_at").ValueKind);
    }

    [Fact]
    public void List_json_never_carries_a_secret_even_if_a_row_had_one()
    {
        var table = new TokenTable("acme", TokenTableKind.List,
            [new ServiceToken("hnmkbklsndgi", "x", ResultSamples.Now, null, null, new TokenSecret(ResultSamples.Secret))]);

        var text = renderer.Render(table, OutputFormat.Json);

        using var json = JsonDocument.Parse(text);
        Assert.Equal("", json.RootElement[0].GetProperty("token").GetString());
        Assert.DoesNotContain(ResultSamples.Secret, text);
        Assert.DoesNotContain(ResultSamples.Secret, renderer.Render(table, OutputFormat.Human));
        Assert.DoesNotContain(ResultSamples.Secret, renderer.Render(table, OutputFormat.Csv));
    }

    [Fact]
    public void Show_access_json_is_exactly_the_CLI_shape()
    {
        using var json = JsonDocument.Parse(renderer.Render(ResultSamples.All["permissions-show"], OutputFormat.Json));

        foreach (var row in json.RootElement.EnumerateArray())
        {
            Assert.Equal(["resource_name", "resource_type", "accesses"], row.EnumerateObject().Select(p => p.Name));
        }

        Assert.Equal("Organization", json.RootElement[2].GetProperty("resource_type").GetString());
    }

    [Fact]
    public void Delete_access_json_keeps_the_CLI_keys_with_perms_joined_without_spaces()
    {
        using var json = JsonDocument.Parse(renderer.Render(ResultSamples.All["permissions-removed"], OutputFormat.Json));

        Assert.Equal("create_branch,connect_branch", json.RootElement.GetProperty("perms").GetString());
        Assert.Equal("access removed", json.RootElement.GetProperty("result").GetString());
        var prod = json.RootElement.GetProperty("accesses")[0];
        Assert.Equal(["read_branch"], prod.GetProperty("accesses").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public void Errors_use_the_CLI_json_envelope()
    {
        using var json = JsonDocument.Parse(renderer.Render(ResultSamples.All["error-api"], OutputFormat.Json));

        Assert.Equal("error", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("api", json.RootElement.GetProperty("issues")[0].GetProperty("code").GetString());
        Assert.Equal("Check the token id with `service-token list`.", json.RootElement.GetProperty("next_steps")[0].GetString());
    }

    [Fact]
    public void Every_result_renders_as_valid_json()
    {
        foreach (var (name, result) in ResultSamples.All)
        {
            var text = renderer.Render(result, OutputFormat.Json);
            var exception = Record.Exception(() => JsonDocument.Parse(text).Dispose());
            Assert.True(exception is null, $"{name}: {exception?.Message}");
        }
    }

    [Fact]
    public void Every_csv_reads_back_with_a_header_and_rectangular_records()
    {
        foreach (var (name, result) in ResultSamples.All)
        {
            var records = CsvReader.Parse(renderer.Render(result, OutputFormat.Csv));
            Assert.True(records.Count >= 2, name);
            Assert.All(records, r => Assert.Equal(records[0].Count, r.Count));
        }
    }

    [Fact]
    public void Csv_round_trips_quotes_commas_and_line_breaks_and_defuses_formulas()
    {
        var records = CsvReader.Parse(renderer.Render(ResultSamples.All["audit"], OutputFormat.Csv));

        Assert.Equal("'=HYPERLINK(\"x\"), then \"quoted\"", records[2][4]);
        Assert.Equal("req-1;req-2", records[1][8]);
        Assert.Equal("2026-11-28T11:58:00Z", records[1][0]);
        var help = CsvReader.Parse(renderer.Render(ResultSamples.All["help"], OutputFormat.Csv));
        Assert.Equal(((HelpResult)ResultSamples.All["help"]).Text, help[1][0]);
    }

    [Fact]
    public void Csv_carries_every_access_in_one_field_and_the_changes_beside_it()
    {
        var records = CsvReader.Parse(renderer.Render(ResultSamples.All["permissions-added"], OutputFormat.Csv));

        Assert.Equal(["ResourceName", "ResourceType", "Accesses", "Added", "Removed"], records[0]);
        Assert.Equal(["prod", "Database", "read_branch;create_branch;delete_branch", "create_branch;delete_branch", ""], records[1]);
    }

    [Fact]
    public void Csv_timestamps_are_iso_utc_whatever_the_offset()
    {
        var table = new TokenTable("acme", TokenTableKind.Show,
            [new ServiceToken("hnmkbklsndgi", null, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)), null, null)]);

        var records = CsvReader.Parse(renderer.Render(table, OutputFormat.Csv));

        Assert.Equal("2026-01-02T01:04:05Z", records[1][4]);
    }

    [Fact]
    public void A_whole_response_puts_the_secret_warning_first_and_renders_every_result()
    {
        var responseRenderer = new CommandResponseTextRenderer(renderer);
        var response = new CommandResponse(
            [new MessageResult("read_branch has been removed."), ResultSamples.All["permissions-removed"]],
            OutputFormat.Human,
            ResponseVisibility.Private,
            "Alice removed read_branch",
            CommandPipeline.SecretWarningText);

        var text = responseRenderer.Render(response);

        Assert.StartsWith("Warning: That message contained a PlanetScale token secret.", text);
        Assert.Contains("\n\nread_branch has been removed.\n\n  RESOURCE NAME", text);
        Assert.EndsWith("- marks access just removed.\n", text);
        Assert.DoesNotContain("Alice removed", text);
        Assert.Equal("Announcement: Alice removed read_branch", CommandResponseTextRenderer.RenderAnnouncement(response));
    }
}
