using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PscaleBot.Bot.Access;

/// <summary>
/// Whether the access sweep (revocations on time, request expiry, reminders) can use its store. <c>/readyz</c> is
/// unhealthy while it cannot, and says why: a bot that cannot revoke time-bound grants must not look ready. The
/// state changes are what <see cref="GrantExpiryService"/> logs and alerts on, once each, not every pass.
/// </summary>
public sealed class AccessSweepHealth : IHealthCheck
{
    private volatile SweepFailure? failure;

    /// <summary>The current failure, or null while the sweep works.</summary>
    public SweepFailure? Failure => failure;

    /// <summary>Records a failed pass; true when the sweep was working until now (a state change).</summary>
    public bool Failed(string reason, DateTimeOffset at)
    {
        var was = failure;
        failure = new SweepFailure(reason, was?.Since ?? at);
        return was is null;
    }

    /// <summary>Records a completed pass; true when the sweep was failing until now (a state change).</summary>
    public bool Succeeded()
    {
        var was = failure;
        failure = null;
        return was is not null;
    }

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(failure is { } failing
            ? HealthCheckResult.Unhealthy(failing.Sentence)
            : HealthCheckResult.Healthy("the access sweep works"));
}

/// <summary>Why the access sweep fails, and since when.</summary>
/// <param name="Reason">What is wrong with the store, in words.</param>
/// <param name="Since">The first failed pass of this run of failures.</param>
public sealed record SweepFailure(string Reason, DateTimeOffset Since)
{
    /// <summary>The sentence for readiness, the log and the approvers.</summary>
    public string Sentence =>
        $"The access store (AccessRequests:StorePath) cannot be used since {Since.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC: {Reason}; time-bound grants are not revoked on time until it works again.";
}
