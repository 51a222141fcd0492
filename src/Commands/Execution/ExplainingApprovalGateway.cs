using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Policy;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Execution;

/// <summary>
/// The gateway used until the access-request workflow is registered: it changes nothing and tells the
/// caller that the grant needs approval, from whom, and that requests are not enabled on this bot.
/// </summary>
public sealed class ExplainingApprovalGateway : IApprovalGateway
{
    /// <inheritdoc />
    public Task<GatewayAnswer> RequestApprovalAsync(
        PreparedCommand prepared, PolicyDecision.NeedsApproval decision, CancellationToken cancellationToken)
    {
        var requirement = decision.Requirement;
        var what = prepared.Command is AddAccessCommand add
            ? $"Granting {string.Join(", ", add.Permissions)} on {ScopeWording.Describe(add.Database, prepared.Organization)}"
            : $"`{prepared.Command?.PolicyName}`";
        var approvers = requirement.Approvers.Count == 0 ? "nobody is listed as approver" : string.Join(", ", requirement.Approvers);
        var count = requirement.RequiredApprovals == 1 ? "1 approval" : $"{requirement.RequiredApprovals} approvals from different people";
        var error = new ErrorResult(
            $"{what} needs approval under role {requirement.Role}: {count}, from {approvers}.",
            "Access requests are not enabled on this bot yet, so nothing was requested or changed. Ask one of the approvers to grant it.",
            null,
            ErrorCategory.Denied);
        return Task.FromResult(new GatewayAnswer([error], null, "needs-approval: no request workflow"));
    }

    /// <inheritdoc />
    public Task<GatewayAnswer> HandleAccessCommandAsync(PreparedCommand prepared, CancellationToken cancellationToken)
    {
        var error = new ErrorResult(
            "Access requests are not enabled on this bot.",
            "Use `service-token show-access <TOKEN_ID>` to see a token's access, or ask an administrator to grant it.",
            null,
            ErrorCategory.Usage);
        return Task.FromResult(new GatewayAnswer([error], null, "error: access requests not enabled"));
    }
}
