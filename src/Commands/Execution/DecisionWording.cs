using PscaleBot.Commands.Access;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Commands.Execution;

/// <summary>How a policy decision is named in the audit log and worded for people.</summary>
public static class DecisionWording
{
    /// <summary>The audit <c>decision</c> value: <c>allowed</c>, <c>denied</c> or <c>needs-approval</c>.</summary>
    public static string Name(PolicyDecision decision) => decision switch
    {
        PolicyDecision.Allowed => "allowed",
        PolicyDecision.Denied => "denied",
        PolicyDecision.NeedsApproval => "needs-approval",
        _ => "unknown",
    };

    /// <summary>The audit <c>reason</c>: the roles that allowed it, or the denial's reason.</summary>
    public static string Reason(PolicyDecision decision) => decision switch
    {
        PolicyDecision.Allowed a => a.Roles.Count == 0 ? "allowed everywhere" : $"roles: {string.Join(", ", a.Roles)}",
        PolicyDecision.Denied d => d.Reason,
        PolicyDecision.NeedsApproval n => $"role {n.Requirement.Role} requires {n.Requirement.RequiredApprovals} approval(s)",
        _ => "",
    };

    /// <summary>
    /// One line for people (<c>allowed (roles: db-admin)</c>); a decision that needs approval also says who
    /// approves, since that is what a dry run of it is for.
    /// </summary>
    public static string Describe(PolicyDecision decision) => decision switch
    {
        PolicyDecision.NeedsApproval { Requirement: var r } =>
            $"{Name(decision)} ({Reason(decision)} from {Approvers(r)}; the call below runs only once approved; "
            + $"--for defaults to {AccessText.Duration(r.DefaultDuration)}, at most {AccessText.Duration(r.MaxDuration)})",
        _ => $"{Name(decision)} ({Reason(decision)})",
    };

    private static string Approvers(ApprovalRequirement requirement) =>
        requirement.Approvers.Count == 0 ? "nobody (no approvers are listed)" : string.Join(", ", requirement.Approvers);
}
