using Microsoft.Extensions.Logging;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Secrets;

namespace PscaleBot.Commands.Execution;

/// <summary>
/// Writes one audit entry per command. Only the parser's redacted text is recorded (scrubbed once more),
/// never the raw input; a failing store is logged and never changes the caller's answer.
/// </summary>
public sealed partial class CommandAuditRecorder(IAuditLog auditLog, TimeProvider time, ILogger<CommandAuditRecorder> logger)
{
    /// <summary>Appends the entry for <paramref name="request"/>; never throws except for cancellation.</summary>
    public async Task RecordAsync(
        ChatRequest request,
        ParseOutcome parse,
        string decision,
        string? reason,
        string outcome,
        IReadOnlyList<string> requestIds,
        CancellationToken cancellationToken)
    {
        var entry = new AuditEntry(
            time.GetUtcNow(),
            PlatformName(request.Caller.Platform),
            request.Place.PrimaryId,
            request.Caller.UserId,
            SecretRedactor.Redact(parse.RedactedText),
            decision,
            (reason is null ? null : SecretRedactor.Redact(reason)),
            SecretRedactor.Redact(outcome),
            requestIds);
        try
        {
            await auditLog.AppendAsync(entry, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogAuditFailed(ex.GetType().Name, SecretRedactor.Redact(ex.Message), entry.UserId, entry.Decision);
        }
    }

    /// <summary>The lower-case platform name stored in audit entries.</summary>
    public static string PlatformName(ChatPlatform platform) => platform switch
    {
        ChatPlatform.Shell => "shell",
        ChatPlatform.Slack => "slack",
        ChatPlatform.Teams => "teams",
        _ => platform.ToString().ToLowerInvariant(),
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit entry for {UserId} ({Decision}) was not written: {ExceptionType}: {ExceptionMessage}")]
    private partial void LogAuditFailed(string exceptionType, string exceptionMessage, string userId, string decision);
}
