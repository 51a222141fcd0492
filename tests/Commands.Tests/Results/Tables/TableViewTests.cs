using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Results;
using PscaleBot.Commands.Results.Tables;
using PscaleBot.Commands.Tests.Results.Rendering;

namespace PscaleBot.Commands.Tests.Results.Tables;

public sealed class TableViewTests
{
    private static readonly DateTimeOffset Now = ResultSamples.Now;

    [Theory]
    [InlineData("token_id", "TokenID")]
    [InlineData("last_used_at", "LastUsedAt")]
    [InlineData("id", "ID")]
    [InlineData("request_ids", "RequestIDs")]
    [InlineData("resource_name", "ResourceName")]
    public void Csv_headers_follow_the_clis_spelling_of_the_key(string key, string expected) =>
        Assert.Equal(expected, new TableColumn("X", key).CsvHeader);

    [Theory]
    [InlineData("LAST USED AT", "Last used at")]
    [InlineData("ID", "ID")]
    [InlineData("REQUEST IDS", "Request IDs")]
    public void Chat_titles_use_the_terminals_words_in_sentence_case(string header, string title) =>
        Assert.Equal(title, new TableColumn(header, "key").Title);

    [Fact]
    public void Every_table_result_has_one_view_with_a_cell_per_column()
    {
        foreach (var result in ResultSamples.All.Values)
        {
            var view = TableViews.For(result);
            if (result is TokenTable or PermissionTable or AuditTable or PscaleBot.Commands.Access.AccessListResult)
            {
                Assert.NotNull(view);
                Assert.All(view.Rows, row => Assert.Equal(view.Columns.Count, row.Cells.Count));
            }
            else
            {
                Assert.Null(view);
            }
        }
    }

    [Fact]
    public void A_new_tokens_secret_is_a_secret_column_whose_cell_never_prints_itself()
    {
        var view = TableViews.For((TokenTable)ResultSamples.All["token-created"]);
        var column = Assert.Single(view.Columns, c => c.Role == ColumnRole.Secret);
        var cell = view.Rows[0].Cells[view.Columns.ToList().IndexOf(column)];

        Assert.Equal(ResultSamples.Secret, cell.Display(TableMedium.Chat, Now));
        Assert.DoesNotContain(ResultSamples.Secret, cell.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(view.ShownColumnIndexes(includeSecrets: false), i => view.Columns[i].Role == ColumnRole.Secret);
    }

    [Fact]
    public void Times_are_relative_in_terminals_absolute_in_chat_and_missing_ones_read_never_in_chat()
    {
        var cell = new TimeCell(Now.AddMinutes(-19));
        Assert.Equal("19 minutes ago", cell.Display(TableMedium.Terminal, Now));
        Assert.Equal("2026-11-28 11:41 UTC", cell.Display(TableMedium.Chat, Now));
        Assert.Equal("", new TimeCell(null).Display(TableMedium.Terminal, Now));
        Assert.Equal("never", new TimeCell(null).Display(TableMedium.Chat, Now));
        Assert.Equal("2026-11-28 12:30 UTC (in 30m)", new TimeCell(Now.AddMinutes(30), TimeStyle.Deadline).Display(TableMedium.Chat, Now));
    }

    [Fact]
    public void Changes_are_marked_the_same_way_in_every_medium_and_explained_once()
    {
        var view = TableViews.For((PermissionTable)ResultSamples.All["permissions-added"]);
        var accesses = view.Rows[0].Cells[2];

        Assert.Equal("read_branch, +create_branch, +delete_branch", accesses.Display(TableMedium.Terminal, Now));
        Assert.Equal(accesses.Display(TableMedium.Terminal, Now), accesses.Display(TableMedium.Chat, Now));
        Assert.Equal("+ marks access just added.", view.Legend);
        Assert.Null(TableViews.For((PermissionTable)ResultSamples.All["permissions-show"]).Legend);
    }

    [Fact]
    public void Long_audit_cells_are_cut_for_people_and_kept_whole_for_machines()
    {
        var reason = new string('r', 200);
        var audit = new AuditTable([new AuditEntry(Now, "slack", "slack:channel:C1", "slack:user:U1", "list", "denied", reason, "denied", [])]);
        var view = TableViews.For(audit);
        var column = view.Columns.Single(c => c.Key == "reason");

        Assert.Equal(80, column.Display(view.Rows[0].Cells[6], TableMedium.Chat, Now).Length);
        Assert.Contains(reason, TableViewMachine.Csv(view), StringComparison.Ordinal);
        Assert.DoesNotContain(view.ShownColumnIndexes(includeSecrets: true), i => view.Columns[i].Key == "request_ids");
    }

    [Fact]
    public void An_empty_table_says_so_in_words_and_keeps_its_csv_header()
    {
        var view = TableViews.For(new TokenTable("acme", TokenTableKind.List, []));
        Assert.Equal("No service tokens.", TableViewText.Render(view, Now));
        Assert.Equal("ID,Name,LastUsedAt,ExpiresAt,CreatedAt\r\n", TableViewMachine.Csv(view));
    }
}
