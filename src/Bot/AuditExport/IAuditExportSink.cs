namespace PscaleBot.Bot.AuditExport;

/// <summary>A destination of the audit export.</summary>
public interface IAuditExportSink
{
    /// <summary>What it is, for the operator's log line (no secret: no query string, no credentials).</summary>
    string Description { get; }

    /// <summary>
    /// Delivers one batch of JSON Lines; returns only once the destination has it (file flushed to disk, webhook
    /// answered 2xx). Throws <see cref="AuditExportFailedException"/> with a sentence otherwise.
    /// </summary>
    Task WriteAsync(ReadOnlyMemory<byte> jsonLines, CancellationToken cancellationToken);
}

/// <summary>A batch did not reach its destination; the message says why in words that hold no secret.</summary>
public sealed class AuditExportFailedException(string message, Exception? inner = null) : Exception(message, inner);
