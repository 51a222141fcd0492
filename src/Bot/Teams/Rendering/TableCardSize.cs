using PscaleBot.Bot.Teams.Protocol;

namespace PscaleBot.Bot.Teams.Rendering;

/// <summary>
/// The exact serialized size of a table card (the Adaptive Card <c>Table</c> plus its <see cref="MonospaceTable"/>
/// fallback text) kept up to date as rows are added, so paging measures each row once instead of re-serialising
/// the whole card for every row.
/// </summary>
/// <remarks>
/// A data row adds its <c>TableRow</c> JSON, a comma, an escaped line break and its fallback line. The line's size
/// depends on the column widths only through its padding: a cell of at most <see cref="MonospaceTable.MaxPad"/>
/// characters is padded to its column's width plus two (widths are at least the cell's length, up to MaxPad), a
/// longer one is followed by exactly two spaces whatever the width. Spaces encode as one byte and cannot take part in
/// an escape, a surrogate pair or a fence run, so a line's size is its size with one space after each padded cell
/// plus <c>width + 1 - length</c> per padded cell. The header and dash lines are re-measured whenever a width grows (at most MaxPad times a column).
/// </remarks>
internal sealed class TableCardSize
{
    private readonly int emptyCardBytes;
    private readonly IReadOnlyList<string> headers;
    private readonly int[] emptyWidths;
    private readonly int emptyHeaderLinesBytes;
    private readonly int[] widths;
    private readonly int[] paddedCells;
    private readonly int emptyRowBytes;
    private int headerLinesBytes;
    private int fixedRowBytes;

    /// <param name="emptyCardBytes">The serialized size of the same card with no data rows.</param>
    /// <param name="headers">The table's headers.</param>
    public TableCardSize(int emptyCardBytes, IReadOnlyList<string> headers)
    {
        this.emptyCardBytes = emptyCardBytes;
        this.headers = headers;
        emptyWidths = [.. headers.Select(h => Math.Min(MonospaceTable.MaxPad, h.Length))];
        widths = [.. emptyWidths];
        paddedCells = new int[headers.Count];
        emptyRowBytes = AdaptiveCardElements.RowSizeInBytes([.. headers.Select(_ => "")]);
        emptyHeaderLinesBytes = headerLinesBytes = HeaderLinesBytes();
    }

    /// <summary>The card's size in UTF-8 JSON bytes with the rows added since the last <see cref="Clear"/>.</summary>
    public int Bytes
    {
        get
        {
            var padding = 0;
            for (var i = 0; i < widths.Length - 1; i++)
            {
                padding += paddedCells[i] * (widths[i] + 1);
            }

            return emptyCardBytes + (headerLinesBytes - emptyHeaderLinesBytes) + fixedRowBytes + padding;
        }
    }

    /// <summary>Adds one data row (cells already truncated as the card shows them).</summary>
    public void Add(IReadOnlyList<string> row)
    {
        // Measured cell by cell, without building the row or its line: a cell's text is the only variable part of
        // its TableRow JSON, and the cells of a fallback line are separated by spaces, which encode alone and end
        // any escape or fence run, so the line's size is the sum of its cells' sizes plus the spaces.
        var widened = false;
        var paddedLengths = 0;
        var bytes = emptyRowBytes + 1 + 2;
        for (var i = 0; i < row.Count; i++)
        {
            bytes += EncodedBytes(row[i]);
            var cell = MonospaceTable.Clean(row[i]);
            bytes += EncodedBytes(MonospaceTable.BreakFences(cell));
            var width = Math.Min(MonospaceTable.MaxPad, cell.Length);
            if (width > widths[i])
            {
                widths[i] = width;
                widened = true;
            }

            if (i == row.Count - 1)
            {
                continue;
            }

            if (cell.Length <= MonospaceTable.MaxPad)
            {
                bytes++;
                paddedCells[i]++;
                paddedLengths += cell.Length;
            }
            else
            {
                bytes += 2;
            }
        }

        // The row's JSON, a comma, the escaped line break, and the line without its padding.
        fixedRowBytes += bytes - paddedLengths;
        if (widened)
        {
            headerLinesBytes = HeaderLinesBytes();
        }
    }

    /// <summary>Starts a new page: no data rows.</summary>
    public void Clear()
    {
        emptyWidths.CopyTo(widths, 0);
        Array.Clear(paddedCells);
        headerLinesBytes = emptyHeaderLinesBytes;
        fixedRowBytes = 0;
    }

    private int HeaderLinesBytes() =>
        EncodedBytes(MonospaceTable.BreakFences(MonospaceTable.Line(headers, widths)))
        + EncodedBytes(MonospaceTable.BreakFences(MonospaceTable.Line(MonospaceTable.DashCells(widths), widths)));

    /// <summary>Bytes the text takes inside a JSON string, escaped exactly as the card serializer does.</summary>
    private static int EncodedBytes(string text) => TeamsJson.StringContentBytes(text);
}
