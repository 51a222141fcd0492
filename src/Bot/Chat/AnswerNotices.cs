using PscaleBot.Bot.Work;

namespace PscaleBot.Bot.Chat;

/// <summary>
/// The chat layer's own sentences about answers that could not be given (busy, restart, undeliverable), and the
/// audit outcomes that go with them. None of them ever holds a secret.
/// </summary>
public static class AnswerNotices
{
    /// <summary>The audit outcome for work refused because the queue was full (or the bot was stopping).</summary>
    public const string RefusedBusy = "refused: busy";

    /// <summary>The answer when the queue is full: nothing ran, and when to try again (an estimate from the drain rate).</summary>
    public static string Busy(TimeSpan retryAfter) =>
        $"The bot is busy right now and did not run this; nothing was changed. Please try again in about {Duration(retryAfter)}.";

    /// <summary>The Retry-After header value (whole seconds, at least 1) for <paramref name="retryAfter"/>.</summary>
    public static string RetryAfterSeconds(TimeSpan retryAfter) =>
        Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan wait) => wait.TotalSeconds switch
    {
        <= 1 => "1 second",
        < 90 => $"{Math.Ceiling(wait.TotalSeconds):0} seconds",
        _ => $"{Math.Ceiling(wait.TotalMinutes):0} minutes",
    };

    /// <summary>The audit outcome for an answer that could not be delivered.</summary>
    public static string Undelivered(string reason) => $"undelivered: {reason}";

    /// <summary>The audit outcome for work that did not finish.</summary>
    public static string Unfinished(WorkInterruption why) => why switch
    {
        WorkInterruption.NotStarted => "abandoned: the bot restarted before it ran",
        WorkInterruption.Interrupted => "interrupted: the bot restarted while it ran",
        _ => "interrupted: timed out",
    };

    /// <summary>What the requester is told about work that did not finish.</summary>
    public static string UnfinishedText(WorkInterruption why) => why switch
    {
        WorkInterruption.NotStarted =>
            "The bot restarted before it could answer this command; nothing was changed. Run it again.",
        WorkInterruption.Interrupted =>
            "The bot restarted while it was running this command, so it may or may not have taken effect. " +
            "Check with `service-token show-access` or `service-token list` before you run it again.",
        _ =>
            "This command took too long and was stopped, so it may or may not have taken effect. " +
            "Check with `service-token show-access` or `service-token list` before you run it again.",
    };

    /// <summary>The hint that goes with <see cref="UnfinishedText"/>.</summary>
    public static string UnfinishedHint(WorkInterruption why) => why == WorkInterruption.NotStarted
        ? "Nothing needs undoing."
        : "If it did take effect, running it again may repeat the change.";

    /// <summary>
    /// Told by another route when a new token's secret could not be delivered: the token exists, the secret is lost.
    /// Only the ids; never the secret.
    /// </summary>
    public static string LostSecret(IReadOnlyList<string> tokenIds)
    {
        var ids = string.Join(", ", tokenIds);
        var delete = string.Join(" and ", tokenIds.Select(id => $"`service-token delete {id}`"));
        return $"Your `service-token create` ran and token {ids} exists, but the answer with its secret could not be delivered to you, " +
            $"so the secret is lost (the bot never keeps it). Delete the token with {delete} and create a new one.";
    }
}
