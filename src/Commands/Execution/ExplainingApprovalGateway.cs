using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Policy;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Execution;

/// <summary>
/// The gateway used until the access-request workflow is registered: it changes nothing and tells the
/// caller what would be needed (who approves, or that time-bound grants need the workflow).
/// </summary>
public sealed class ExplainingApprovalGateway : IApprovalGateway
{
    private const string NotEnabled = "Access requests are not enabled on this bot, so nothing was requested or changed.";

    /// <inheritdoc />
    public Task<CommandResponse> RequestApprovalAsync(PreparedCommand prepared, CancellationToken cancellationToken)
    {
        if (prepared.Decision is not PolicyDecision.NeedsApproval { Requirement: var requirement })
        {
            return Answer(prepared, new ErrorResult("Not allowed: the command was not authorised.", null, null, ErrorCategory.Denied));
        }

        var what = prepared.Command is AddAccessCommand add
            ? $"Granting {string.Join(", ", add.Permissions)} on {ScopeWording.Describe(add.Database, prepared.Organization)}"
            : $"`{prepared.Command?.PolicyName}`";
        var approvers = requirement.Approvers.Count == 0 ? "nobody is listed as approver" : string.Join(", ", requirement.Approvers);
        var count = requirement.RequiredApprovals == 1 ? "1 approval" : $"{requirement.RequiredApprovals} approvals from different people";
        return Answer(prepared, new ErrorResult(
            $"{what} needs approval under role {requirement.Role}: {count}, from {approvers}.",
            NotEnabled + " Ask one of the approvers to grant it.",
            null,
            ErrorCategory.Denied));
    }

    /// <inheritdoc />
    public Task<CommandResponse> HandleAccessCommandAsync(PreparedCommand prepared, CancellationToken cancellationToken)
    {
        var error = prepared.Command is AddAccessCommand
            ? new ErrorResult(
                "Time-bound and break-glass grants (--for, --break-glass) need the access-request workflow, which is not enabled on this bot.",
                "Nothing was changed. Leave out --for and --break-glass for a permanent grant, and remove it later with `service-token delete-access`.",
                null,
                ErrorCategory.Usage)
            : new ErrorResult(
                NotEnabled,
                "Use `service-token show-access <TOKEN_ID>` to see a token's access, or ask an administrator to grant it.",
                null,
                ErrorCategory.Usage);
        return Answer(prepared, error);
    }

    private static Task<CommandResponse> Answer(PreparedCommand prepared, ErrorResult error) =>
        Task.FromResult(new CommandResponse([error], prepared.Command?.Options.Format ?? OutputFormat.Human, ResponseVisibility.Private));
}
