using PscaleBot.Commands.Results.Rendering;

namespace PscaleBot.Commands.Results.Tables;

/// <summary>Draws a <see cref="TableView"/> for a terminal, as the CLI prints tables (<see cref="TablePrinter"/>).</summary>
public static class TableViewText
{
    /// <summary>The table with its legend, or its empty sentence. Secret columns are drawn: a terminal answer
    /// with a secret is only ever shown to the requester.</summary>
    public static string Render(TableView view, DateTimeOffset now)
    {
        if (view.Rows.Count == 0)
        {
            return view.EmptyText;
        }

        now = view.ReadAt ?? now;
        var shown = view.ShownColumnIndexes(includeSecrets: true).ToList();
        var text = TablePrinter.Render(
            [.. shown.Select(i => view.Columns[i].Header)],
            [.. view.Rows.Select(r => (IReadOnlyList<string>)[.. shown.Select(i => view.Columns[i].Display(r.Cells[i], TableMedium.Terminal, now))])]);
        return view.Legend is null ? text : $"{text}\n\n{view.Legend}";
    }
}
