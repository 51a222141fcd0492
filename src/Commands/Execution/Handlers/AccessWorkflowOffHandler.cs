using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Policy;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Execution.Handlers;

/// <summary>
/// What answers the access-request workflow's commands until it is registered: it changes nothing and tells the
/// caller what would be needed (who approves, or that time-bound grants and <c>access …</c> need the workflow).
/// Registered for <see cref="CommandRoutes.AccessRequest"/> and each <c>access …</c> verb; the workflow replaces it.
/// </summary>
public sealed class AccessWorkflowOffHandler : ICommandHandler<BotCommand>
{
    private const string NotEnabled = "Access requests are not enabled on this bot, so nothing was requested or changed.";

    /// <inheritdoc />
    public Task<ExecutionOutcome> HandleAsync(BotCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        var error = (command, context.Decision) switch
        {
            (_, PolicyDecision.NeedsApproval { Requirement: var requirement }) => NeedsApproval(command, context.Organization, requirement),
            (AddAccessCommand, _) => new ErrorResult(
                "Time-bound and break-glass grants (--for, --break-glass) need the access-request workflow, which is not enabled on this bot.",
                "Nothing was changed. Leave out --for and --break-glass for a permanent grant, and remove it later with `service-token delete-access`.",
                null,
                ErrorCategory.Usage),
            _ => new ErrorResult(
                NotEnabled,
                "Use `service-token show-access <TOKEN_ID>` to see a token's access, or ask an administrator to grant it.",
                null,
                ErrorCategory.Usage),
        };
        return Task.FromResult(ExecutionOutcome.Answer(error, null, ResponseVisibility.Private));
    }

    private static ErrorResult NeedsApproval(BotCommand command, string organization, ApprovalRequirement requirement)
    {
        var what = command is AddAccessCommand add
            ? $"Granting {string.Join(", ", add.Permissions)} on {ScopeWording.Describe(add.Database, organization)}"
            : $"`{command.PolicyName}`";
        var approvers = requirement.Approvers.Count == 0 ? "nobody is listed as approver" : string.Join(", ", requirement.Approvers);
        var count = requirement.RequiredApprovals == 1 ? "1 approval" : $"{requirement.RequiredApprovals} approvals from different people";
        return new ErrorResult(
            $"{what} needs approval under role {requirement.Role}: {count}, from {approvers}.",
            NotEnabled + " Ask one of the approvers to grant it.",
            null,
            ErrorCategory.Denied);
    }
}
