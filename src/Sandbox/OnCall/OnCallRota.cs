namespace PscaleBot.Sandbox.OnCall;

/// <summary>One PagerDuty on-call entry as the sandbox serves it; null start/end mean always on call.</summary>
/// <param name="Email">The user's email.</param>
/// <param name="ScheduleId">The schedule that puts them on call, or null for a direct escalation-rule target.</param>
/// <param name="EscalationPolicyId">The escalation policy.</param>
/// <param name="EscalationLevel">The level (1 is paged first).</param>
/// <param name="Start">When the on-call starts.</param>
/// <param name="End">When it ends.</param>
public sealed record PagerDutyShift(string Email, string? ScheduleId, string EscalationPolicyId, int EscalationLevel, DateTimeOffset? Start, DateTimeOffset? End);

/// <summary>How the simulated on-call services misbehave, for tests and the shell.</summary>
public enum OnCallFault
{
    /// <summary>They answer normally.</summary>
    None,

    /// <summary>They answer 500.</summary>
    ServerError,

    /// <summary>They wait 30 s before answering (or until the caller gives up).</summary>
    Slow,
}

/// <summary>
/// Who the simulated PagerDuty and Opsgenie say is on call, the fault they act out, and how often each was called.
/// Changed through <c>/_sandbox/oncall</c> or directly in-process.
/// </summary>
public sealed class OnCallRota
{
    /// <summary>The PagerDuty API key the sandbox accepts (<c>Authorization: Token token=…</c>).</summary>
    public const string PagerDutyApiKey = "sandbox-pagerduty-key";

    /// <summary>The Opsgenie API key the sandbox accepts (<c>Authorization: GenieKey …</c>).</summary>
    public const string OpsgenieApiKey = "sandbox-opsgenie-key";

    private readonly Lock gate = new();
    private List<PagerDutyShift> pagerDuty = [];
    private Dictionary<string, List<string>> opsgenie = new(StringComparer.Ordinal);
    private int pagerDutyCalls;
    private int opsgenieCalls;

    /// <summary>The fault acted out by both services.</summary>
    public OnCallFault Fault { get; set; }

    /// <summary>Calls to <c>GET /pagerduty/oncalls</c> so far, counted on arrival (refused and failed ones too).</summary>
    public int PagerDutyCalls => Volatile.Read(ref pagerDutyCalls);

    /// <summary>Calls to <c>GET /opsgenie/v2/schedules/{id}/on-calls</c> so far, counted on arrival (refused and failed ones too).</summary>
    public int OpsgenieCalls => Volatile.Read(ref opsgenieCalls);

    /// <summary>Replaces PagerDuty's on-call entries.</summary>
    public void SetPagerDuty(IEnumerable<PagerDutyShift> shifts)
    {
        lock (gate)
        {
            pagerDuty = shifts.ToList();
        }
    }

    /// <summary>Replaces who is on call in one Opsgenie schedule (an empty list keeps the schedule, with nobody on call).</summary>
    public void SetOpsgenie(string scheduleId, IEnumerable<string> emails)
    {
        lock (gate)
        {
            opsgenie = new Dictionary<string, List<string>>(opsgenie, StringComparer.Ordinal) { [scheduleId] = emails.ToList() };
        }
    }

    /// <summary>Counts a call that arrived at PagerDuty, before anything is checked, so a test can see a caller waiting on a slow answer.</summary>
    internal void CountPagerDutyCall() => Interlocked.Increment(ref pagerDutyCalls);

    /// <summary>Counts a call that arrived at Opsgenie, before anything is checked.</summary>
    internal void CountOpsgenieCall() => Interlocked.Increment(ref opsgenieCalls);

    /// <summary>PagerDuty's entries.</summary>
    internal IReadOnlyList<PagerDutyShift> PagerDutyShifts()
    {
        lock (gate)
        {
            return pagerDuty;
        }
    }

    /// <summary>Opsgenie's recipients of a schedule, or null when there is no such schedule.</summary>
    internal IReadOnlyList<string>? OpsgenieRecipients(string scheduleId)
    {
        lock (gate)
        {
            return opsgenie.TryGetValue(scheduleId, out var emails) ? emails : null;
        }
    }
}
