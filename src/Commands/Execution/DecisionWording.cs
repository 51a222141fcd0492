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

    /// <summary>One line for people (<c>allowed (roles: db-admin)</c>).</summary>
    public static string Describe(PolicyDecision decision) => $"{Name(decision)} ({Reason(decision)})";
}
