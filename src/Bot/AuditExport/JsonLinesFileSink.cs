namespace PscaleBot.Bot.AuditExport;

/// <summary>Appends batches to a JSON Lines file (created with its folder when missing), flushed to disk before returning.</summary>
public sealed class JsonLinesFileSink(string path) : IAuditExportSink
{
    /// <summary>The full path appended to.</summary>
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <inheritdoc />
    public string Description => "the audit export file " + Path;

    /// <inheritdoc />
    public async Task WriteAsync(ReadOnlyMemory<byte> jsonLines, CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            await using var file = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 4096, FileOptions.Asynchronous);
            if (file.Length > 0)
            {
                // A write cut short by a crash left a partial last line: end it, so the rows sent again start on their own line.
                file.Seek(-1, SeekOrigin.End);
                var last = new byte[1];
                await file.ReadExactlyAsync(last, cancellationToken);
                if (last[0] != (byte)'\n')
                {
                    file.WriteByte((byte)'\n');
                }
            }

            file.Seek(0, SeekOrigin.End);
            await file.WriteAsync(jsonLines, cancellationToken);
            await file.FlushAsync(cancellationToken);
            file.Flush(flushToDisk: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AuditExportFailedException($"the file cannot be written: {ex.Message}", ex);
        }
    }
}
