using Microsoft.Extensions.Logging;

namespace PscaleBot.Commands.Access;

/// <summary>
/// Sends each notice to every registered <see cref="IAccessNotifier"/>. A failing notifier is logged and
/// skipped: a chat outage must never undo or block a grant or a revoke that already happened.
/// </summary>
public sealed partial class AccessNotificationDispatcher(IEnumerable<IAccessNotifier> notifiers, ILogger<AccessNotificationDispatcher> logger)
{
    private readonly IReadOnlyList<IAccessNotifier> all = [.. notifiers];

    /// <summary>Delivers <paramref name="notification"/> everywhere it can.</summary>
    public async Task SendAsync(AccessNotification notification, CancellationToken cancellationToken)
    {
        foreach (var notifier in all)
        {
            try
            {
                await notifier.NotifyAsync(notification, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogFailed(notifier.GetType().Name, notification.GetType().Name, ex.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notifier {Notifier} failed to deliver {Notice}: {ExceptionType}")]
    private partial void LogFailed(string notifier, string notice, string exceptionType);
}
