using PscaleBot.Commands.Results.Rendering;

namespace PscaleBot.Commands.Tests.Results.Rendering;

public sealed class TablePrinterTests
{
    [Fact]
    public void Lays_out_the_access_table_exactly_as_the_CLI_printed_it()
    {
        // From planetscale/cli PR #616 (trailing spaces trimmed).
        var text = TablePrinter.Render(
            ["RESOURCE NAME", "RESOURCE TYPE", "ACCESSES"],
            [["test", "Database", "restore_branch_backup, restore_production_branch_backup"]]);

        Assert.Equal(
            "  RESOURCE NAME   RESOURCE TYPE   ACCESSES\n" +
            " --------------- --------------- ---------------------------------------------------------\n" +
            "  test            Database        restore_branch_backup, restore_production_branch_backup",
            text);
    }

    [Theory]
    [InlineData(3, "  ID")]
    [InlineData(4, "  ID (4)")]
    public void Counts_rows_in_the_first_header_past_three(int rows, string expectedStart)
    {
        var text = TablePrinter.Render(["ID", "NAME"], [.. Enumerable.Range(0, rows).Select(i => (IReadOnlyList<string>)[$"id{i}", "n"])]);

        Assert.StartsWith(expectedStart + " ", text.Split('\n')[0]);
    }

    [Fact]
    public void Keeps_one_line_per_row_when_a_cell_holds_a_line_break()
    {
        var text = TablePrinter.Render(["COMMAND"], [["first\nsecond"]]);

        Assert.Equal(3, text.Split('\n').Length);
        Assert.Contains("first second", text);
    }
}
