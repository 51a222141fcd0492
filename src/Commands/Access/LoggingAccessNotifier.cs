using Microsoft.Extensions.Logging;
using PscaleBot.Commands.Audit;
using PscaleBot.Commands.Stale;

namespace PscaleBot.Commands.Access;

/// <summary>
/// The headless notifier: every notice goes to the log (alerts as warnings) and to the audit log as a
/// <c>notice:…</c> entry, so <c>audit</c> shows what people were (or would have been) told without any chat platform.
/// </summary>
public sealed partial class LoggingAccessNotifier(IAuditLog audit, TimeProvider time, ILogger<LoggingAccessNotifier> logger) : IAccessNotifier
{
    /// <inheritdoc />
    public async Task NotifyAsync(AccessNotification notification, CancellationToken cancellationToken)
    {
        var kind = NoticeKind(notification);
        var target = notification.Audience.ConversationId ?? notification.Audience.UserId ?? "nobody";
        if (notification is AccessAlert)
        {
            LogAlert(kind, target, notification.Text);
        }
        else
        {
            LogNotice(kind, target, notification.Text);
        }

        await audit.AppendAsync(
            new AuditEntry(
                time.GetUtcNow(),
                notification.Audience.Platform.ToString().ToLowerInvariant(),
                target,
                AccessActors.System,
                notification.Text,
                "notice:" + kind,
                null,
                "ok",
                []),
            cancellationToken);
    }

    private static string NoticeKind(AccessNotification notification) => notification switch
    {
        AccessRequestPosted => "request-posted",
        AccessRequestSettled => "request-settled",
        AccessRequestProgress => "request-progress",
        AccessRequesterNotice => "requester",
        AccessExpiryReminder => "reminder",
        AccessGrantEnded => "grant-ended",
        AccessAlert alert => "alert-" + alert.Kind.ToString().ToLowerInvariant(),
        StaleTokenDigestNotice => "stale-digest",
        _ => "other",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Access notice {Kind} to {Target}: {Text}")]
    private partial void LogNotice(string kind, string target, string text);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Access ALERT {Kind} to {Target}: {Text}")]
    private partial void LogAlert(string kind, string target, string text);
}
