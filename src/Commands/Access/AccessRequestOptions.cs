using System.ComponentModel.DataAnnotations;

namespace PscaleBot.Commands.Access;

/// <summary>On-call access requests and time-bound grants (section <c>AccessRequests</c>; environment <c>AccessRequests__…</c>).</summary>
public sealed class AccessRequestOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "AccessRequests";

    /// <summary>The SQLite file holding requests and grants; its folder is created at start.</summary>
    [Required(ErrorMessage = "AccessRequests:StorePath is required: the SQLite file that keeps requests and grants across restarts.")]
    public string StorePath { get; set; } = "data/access.db";

    /// <summary>How long before a grant ends its requester is reminded (with an Extend action).</summary>
    public TimeSpan ReminderLeadTime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Wait before the first retry of a failed revoke; it doubles per failure.</summary>
    public TimeSpan RevokeRetryInitialDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait between revoke retries.</summary>
    public TimeSpan RevokeRetryMaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Failed revoke attempts after which approvers are alerted.</summary>
    [Range(1, 1000)]
    public int RevokeAlertAfterFailures { get; set; } = 3;

    /// <summary>How long a revoker's lease on a grant lasts, so a crashed replica's claim lapses.</summary>
    public TimeSpan RevokeClaimDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// This bot's name on revoke claims; defaults to the host name. It must stay the same across restarts and differ
    /// between processes running at the same time on one store (each replica its own stable name, such as a
    /// StatefulSet pod's): a restarted bot takes over at once the claims its previous run left (see <c>RevokeClaim</c>).
    /// </summary>
    public string? InstanceId { get; set; }

    /// <summary>How often the reconciler compares believed grants with the tokens' real permissions.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How far back the reconciler looks for ended grants whose permissions came back.</summary>
    public TimeSpan ReconcileLookback { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Longest the expiry loop sleeps without a due item, so changes made by other replicas are seen.</summary>
    public TimeSpan MaxIdleWait { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The on-call schedule file (YAML or JSON list of <c>{who, from, until}</c>). When unset, the schedule the policy
    /// file names (<c>oncall: schedule:</c>) is used; with neither, nobody is on call.
    /// </summary>
    public string? RosterPath { get; set; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        static ValidationResult Positive(string name) =>
            new($"AccessRequests:{name} must be a positive time span (for example 00:10:00).", [name]);

        if (ReminderLeadTime < TimeSpan.Zero)
        {
            yield return new ValidationResult("AccessRequests:ReminderLeadTime must not be negative (00:00:00 turns reminders off).", [nameof(ReminderLeadTime)]);
        }

        if (RevokeRetryInitialDelay <= TimeSpan.Zero)
        {
            yield return Positive(nameof(RevokeRetryInitialDelay));
        }

        if (RevokeRetryMaxDelay < RevokeRetryInitialDelay)
        {
            yield return new ValidationResult("AccessRequests:RevokeRetryMaxDelay must be at least RevokeRetryInitialDelay.", [nameof(RevokeRetryMaxDelay)]);
        }

        if (RevokeClaimDuration <= TimeSpan.Zero)
        {
            yield return Positive(nameof(RevokeClaimDuration));
        }

        if (ReconcileInterval <= TimeSpan.Zero)
        {
            yield return Positive(nameof(ReconcileInterval));
        }

        if (ReconcileLookback <= TimeSpan.Zero)
        {
            yield return Positive(nameof(ReconcileLookback));
        }

        if (MaxIdleWait <= TimeSpan.Zero)
        {
            yield return Positive(nameof(MaxIdleWait));
        }
    }

    /// <summary>The wait before retry number <paramref name="failures"/> + 1: doubling from the initial delay, capped.</summary>
    public TimeSpan RetryDelay(int failures)
    {
        var exponent = Math.Clamp(failures - 1, 0, 30);
        var ticks = RevokeRetryInitialDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= RevokeRetryMaxDelay.Ticks ? RevokeRetryMaxDelay : TimeSpan.FromTicks((long)ticks);
    }
}
