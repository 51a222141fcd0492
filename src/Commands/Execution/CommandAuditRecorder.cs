using Microsoft.Extensions.Logging;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Diagnostics;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Http;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Results;
using PscaleBot.Commands.Secrets;

namespace PscaleBot.Commands.Execution;

/// <summary>
/// Writes one audit entry per command. Only the parser's redacted text is recorded (scrubbed once more),
/// never the raw input. A change is also recorded before it runs (<see cref="RecordBeforeChangeAsync"/>), and is
/// refused when that entry cannot be written; after that, a failing store is logged and never changes the answer.
/// A failing store is logged once per outage (Error, with the reason) and its recovery once; each entry it lost is
/// still logged, at Information, because then the log is the only trace of that command.
/// </summary>
/// <param name="auditLog">The store.</param>
/// <param name="time">The clock of the entries.</param>
/// <param name="logger">Where failures go.</param>
/// <param name="outages">The process-wide outage state (a singleton); without it, this recorder keeps its own.</param>
/// <param name="metrics">Counts each command answered; optional so tests can leave it out.</param>
public sealed partial class CommandAuditRecorder(IAuditLog auditLog, TimeProvider time, ILogger<CommandAuditRecorder> logger, DependencyOutages? outages = null, BotMetrics? metrics = null)
{
    private readonly DependencyOutage outage = outages is null
        ? new DependencyOutage(StoreName, StoreDown, logger, time) { FailureLevel = LogLevel.Error }
        : Outage(outages);

    private const string StoreName = "The audit log (Audit:Path)";
    private const string StoreDown = "changes are refused before they run, and reads are answered but not audited (each is logged instead)";

    /// <summary>The audit store's outage state, shared by every recorder and read by readiness.</summary>
    public static DependencyOutage Outage(DependencyOutages outages)
    {
        ArgumentNullException.ThrowIfNull(outages);
        return outages.For(StoreName, StoreDown, typeof(CommandAuditRecorder).FullName!, LogLevel.Error);
    }

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
        if (!await TryAppendAsync(entry, cancellationToken))
        {
            LogAuditFailed(entry.UserId, entry.Decision, entry.Command, entry.Outcome);
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
        if (await TryAppendAsync(entry, cancellationToken))
        {
            return null;
        }

        LogChangeRefused(entry.UserId, entry.Command);
        // The person sees what happened and whom to tell; the details (path, SQLite error) are in the log, not the chat.
        return new ErrorResult(
            $"The audit log cannot be written, so nothing was changed; tell an admin: the bot's audit store refused the entry, and the bot's log says why.",
            "Reads still answer. Run the change again once the audit log works.",
            null,
            ErrorCategory.Internal);
    }

    // The store's outage is tracked here (logged once, with the reason); callers log what the lost entry stood for.
    private async Task<bool> TryAppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            await auditLog.AppendAsync(entry, cancellationToken);
            outage.Succeeded();
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            outage.Failed($"{ex.GetType().Name}: {SecretRedactor.Redact(ex.Message)}");
            return false;
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

    // Information: the store's failure is logged once (Error) by the outage; these lines stand in for the lost audit rows.
    [LoggerMessage(Level = LogLevel.Information, Message = "The audit log cannot be written, so the change by {UserId} was refused before it ran ({Command})")]
    private partial void LogChangeRefused(string userId, string command);

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit entry for {UserId} ({Decision}) was not written: {Command} → {Outcome}")]
    private partial void LogAuditFailed(string userId, string decision, string command, string outcome);
}
