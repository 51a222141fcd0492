using System.Text.Json;
using PscaleBot.Commands.Results.Rendering;

namespace PscaleBot.Commands.Results.Tables;

/// <summary>
/// Draws a <see cref="TableView"/> for machines: every column (details and secrets included), raw values.
/// CSV: ISO-8601 times, lists joined with <c>;</c>, and a permissions column followed by <c>Added</c> and
/// <c>Removed</c> columns. JSON: one object per row keyed by <see cref="TableColumn.Key"/>, nulls kept, lists as arrays.
/// </summary>
public static class TableViewMachine
{
    private const string ListSeparator = ";";

    /// <summary>RFC 4180 CSV with a header record, even when there are no rows.</summary>
    public static string Csv(TableView view)
    {
        List<string> header = [];
        foreach (var column in view.Columns)
        {
            header.Add(column.CsvHeader);
            if (column.MarksChanges)
            {
                header.AddRange(["Added", "Removed"]);
            }
        }

        return CsvTableWriter.Write(header, view.Rows.Select(row => (IReadOnlyList<string?>)[.. row.Cells.SelectMany(CsvFields)]));
    }

    /// <summary>An array of objects, one per row.</summary>
    public static void WriteJson(Utf8JsonWriter json, TableView view)
    {
        json.WriteStartArray();
        foreach (var row in view.Rows)
        {
            json.WriteStartObject();
            for (var i = 0; i < view.Columns.Count; i++)
            {
                json.WritePropertyName(view.Columns[i].Key);
                WriteValue(json, row.Cells[i]);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static IEnumerable<string?> CsvFields(TableCell cell) => cell switch
    {
        PermissionsCell p => [string.Join(ListSeparator, p.Held), string.Join(ListSeparator, p.With(PermissionChange.Added)), string.Join(ListSeparator, p.With(PermissionChange.Removed))],
        TextCell t => [t.Value],
        TimeCell t => [IsoTime.Format(t.Value)],
        ListCell l => [string.Join(ListSeparator, l.Values)],
        SecretCell s => [s.Secret?.Reveal()],
        _ => throw new ArgumentOutOfRangeException(nameof(cell), cell.GetType().Name, "No CSV field for this cell."),
    };

    private static void WriteValue(Utf8JsonWriter json, TableCell cell)
    {
        switch (cell)
        {
            case TextCell { Value: { } text }:
                json.WriteStringValue(text);
                break;
            case TimeCell { Value: { } time }:
                json.WriteStringValue(IsoTime.Format(time));
                break;
            case SecretCell { Secret: { } secret }:
                json.WriteStringValue(secret.Reveal());
                break;
            case ListCell list:
                WriteArray(json, list.Values);
                break;
            case PermissionsCell permissions:
                WriteArray(json, permissions.Held);
                break;
            default:
                json.WriteNullValue();
                break;
        }
    }

    private static void WriteArray(Utf8JsonWriter json, IEnumerable<string> values)
    {
        json.WriteStartArray();
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
