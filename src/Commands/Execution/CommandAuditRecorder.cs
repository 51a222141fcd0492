using Microsoft.Extensions.Logging;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Diagnostics;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Results;
using PscaleBot.Commands.Secrets;

namespace PscaleBot.Commands.Execution;

/// <summary>
/// Writes one audit entry per command. Only the parser's redacted text is recorded (scrubbed once more),
/// never the raw input. A change is also recorded before it runs (<see cref="RecordBeforeChangeAsync"/>), and is
/// refused when that entry cannot be written; after that, a failing store is logged and never changes the answer.
/// </summary>
public sealed partial class CommandAuditRecorder(IAuditLog auditLog, TimeProvider time, ILogger<CommandAuditRecorder> logger, BotMetrics? metrics = null)
{
    /// <summary>The outcome of the entry written before a change runs.</summary>
    public const string StartedOutcome = "started";

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
        var entry = Entry(request, parse, decision, reason, outcome, requestIds);
        metrics?.CommandAnswered(entry.Platform, parse.Command?.PolicyName ?? "unparsed", outcome);
        try
        {
            await auditLog.AppendAsync(entry, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogAuditFailed(ex.GetType().Name, SecretRedactor.Redact(ex.Message), entry.UserId, entry.Decision);
        }
    }

    /// <summary>
    /// Write-ahead audit of a change: appends the entry with outcome <c>started</c> before anything reaches PlanetScale
    /// or the access store, so "every change is audited" holds even when the bot dies mid-change. Returns null when the
    /// entry was written, or the error to answer with when it was not: then the change must not run.
    /// </summary>
    public async Task<ErrorResult?> RecordBeforeChangeAsync(
        ChatRequest request, ParseOutcome parse, string decision, string? reason, CancellationToken cancellationToken)
    {
        var entry = Entry(request, parse, decision, reason, StartedOutcome, []);
        try
        {
            await auditLog.AppendAsync(entry, cancellationToken);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogChangeRefused(ex.GetType().Name, SecretRedactor.Redact(ex.Message), entry.UserId, entry.Command);
            // The person sees what happened and whom to tell; the details (path, SQLite error) are in the log, not the chat.
            return new ErrorResult(
                $"The audit log cannot be written, so nothing was changed; tell an admin: the bot's audit store refused the entry ({ex.GetType().Name}), and the bot's log says why.",
                "Reads still answer. Run the change again once the audit log works.",
                null,
                ErrorCategory.Internal);
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

    private AuditEntry Entry(ChatRequest request, ParseOutcome parse, string decision, string? reason, string outcome, IReadOnlyList<string> requestIds) =>
        new(
            time.GetUtcNow(),
            PlatformName(request.Caller.Platform),
            request.Place.PrimaryId,
            request.Caller.UserId,
            SecretRedactor.Redact(parse.RedactedText),
            decision,
            reason is null ? null : SecretRedactor.Redact(reason),
            SecretRedactor.Redact(outcome),
            requestIds);

    [LoggerMessage(Level = LogLevel.Error, Message = "The audit log cannot be written, so the change by {UserId} was refused before it ran ({Command}): {ExceptionType}: {ExceptionMessage}")]
    private partial void LogChangeRefused(string exceptionType, string exceptionMessage, string userId, string command);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit entry for {UserId} ({Decision}) was not written: {ExceptionType}: {ExceptionMessage}")]
    private partial void LogAuditFailed(string exceptionType, string exceptionMessage, string userId, string decision);
}
