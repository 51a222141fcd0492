using PscaleBot.Commands.Policy;

namespace PscaleBot.Commands.Access;

/// <summary>The workflow's fixed limits: how often a lost version check is retried, and the fallback request timeout.</summary>
internal static class AccessLimits
{
    /// <summary>How many times a change re-reads and retries after another change won the version check.</summary>
    public const int ConcurrencyRetries = 8;

    private static readonly TimeSpan FallbackRequestTimeout = TimeSpan.FromMinutes(30);

    /// <summary>How long a request of <paramref name="requirement"/> waits for its approvals.</summary>
    public static TimeSpan RequestTimeout(ApprovalRequirement requirement) =>
        requirement.RequestTimeout > TimeSpan.Zero ? requirement.RequestTimeout : FallbackRequestTimeout;

    /// <summary>The error when <paramref name="duration"/> is not positive or longer than <paramref name="requirement"/> allows; else null.</summary>
    public static AccessOutcome? CheckDuration(TimeSpan duration, ApprovalRequirement requirement, string flag) =>
        duration <= TimeSpan.Zero ? AccessText.DurationNotPositive(flag, "2h")
        : requirement.MaxDuration > TimeSpan.Zero && duration > requirement.MaxDuration ? AccessText.DurationTooLong(flag, duration, requirement)
        : null;
}
