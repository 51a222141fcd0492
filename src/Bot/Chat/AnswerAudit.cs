using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Http;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Results;

namespace PscaleBot.Bot.Chat;

/// <summary>
/// Audits what happened to a command's answer after the pipeline was done with it (refused as busy, undelivered,
/// abandoned at a restart), and tells the requester by another route when a new token's secret was lost.
/// </summary>
public sealed partial class AnswerAudit(CommandAuditRecorder audit, PendingNotices pending, ILogger<AnswerAudit> logger, DependencyOutages outages)
{
    /// <summary>
    /// Delivery to one platform as a dependency: the first undelivered answer of an outage is logged (Error), the rest
    /// only audited, and the first delivered answer after it logs the recovery. Every undelivered answer keeps its audit row.
    /// </summary>
    public static DependencyOutage DeliveryOutage<TTarget>(DependencyOutages outages)
    {
        ArgumentNullException.ThrowIfNull(outages);
        var ns = typeof(TTarget).Namespace ?? "";
        var platform = ns.Contains(".Slack", StringComparison.Ordinal) ? "Slack" : ns.Contains(".Teams", StringComparison.Ordinal) ? "Teams" : typeof(TTarget).Name;
        return outages.For($"Delivering answers to {platform}", "answers are audited as undelivered (and a lost secret is told by another route)", typeof(AnswerAudit).FullName!, LogLevel.Error);
    }

    /// <summary>Writes the audit row for <paramref name="command"/> with <paramref name="outcome"/>; no row without a parsed request.</summary>
    public Task RecordAsync(PreparedCommand? command, string outcome, CancellationToken cancellationToken) =>
        command is null
            ? Task.CompletedTask
            : audit.RecordAsync(
                command.Request,
                command.Parse,
                command.Decision is { } decision ? DecisionWording.Name(decision) : "unparsed",
                command.Decision is { } reasoned ? DecisionWording.Reason(reasoned) : null,
                outcome,
                [],
                cancellationToken);

    /// <summary>
    /// Writes the audit row for work that is not a typed command (a button click, a welcome message) and did not run,
    /// e.g. refused as busy. <paramref name="request"/>'s text says what it was; nothing decided on it yet.
    /// </summary>
    public Task RecordNotRunAsync(ChatRequest request, string outcome, CancellationToken cancellationToken) =>
        audit.RecordAsync(request, new ParseOutcome(null, null, request.Text, false), NotDecided, null, outcome, [], cancellationToken);

    /// <summary>The decision of a row about work refused before anything (the policy included) looked at it.</summary>
    public const string NotDecided = "not decided";

    /// <summary>
    /// An answer could not be delivered: log once, audit it, and when it held a new token's secret tell the
    /// requester by another route (or on their next command) that the token exists and must be re-created.
    /// </summary>
    public async Task UndeliveredAsync<TTarget>(
        IChatReplyTransport<TTarget> transport, TTarget target, CommandResponse response, PreparedCommand? command, string reason, CancellationToken cancellationToken)
    {
        DeliveryOutage<TTarget>(outages).Failed($"the answer to a {command?.Command?.PolicyName ?? "chat"} command: {reason}");
        await RecordAsync(command, AnswerNotices.Undelivered(reason), cancellationToken);

        IReadOnlyList<string> lost = [.. response.Results.OfType<TokenTable>().SelectMany(t => t.Tokens).Where(t => t.Secret is not null).Select(t => t.Id)];
        if (lost.Count == 0)
        {
            return;
        }

        var notice = AnswerNotices.LostSecret(lost);
        var told = false;
        try
        {
            told = await transport.TellRequesterElsewhereAsync(target, notice, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogOtherRouteFailed(ex.GetType().Name);
        }

        if (!told && command is not null)
        {
            pending.Add(command.Request.Caller, notice);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telling the requester about a lost secret by another route failed with {ExceptionType}; it waits for their next command")]
    private partial void LogOtherRouteFailed(string exceptionType);
}
