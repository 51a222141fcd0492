using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Commands.Access.Handlers;

/// <summary>
/// The <see cref="CommandRoutes.AccessRequest"/> handler: an approval-gated <c>add-access</c> is filed as a request
/// (or granted at once under break-glass or on-call auto-approval); an allowed one with <c>--for</c> or
/// <c>--break-glass</c> is granted now and revoked when it ends.
/// </summary>
public sealed class AccessRequestHandler(GrantRequests requests) : ICommandHandler<BotCommand>
{
    /// <inheritdoc />
    public async Task<ExecutionOutcome> HandleAsync(BotCommand command, CommandContext context, CancellationToken cancellationToken)
    {
        var outcome = (command, context.Decision) switch
        {
            (AddAccessCommand add, PolicyDecision.NeedsApproval needs) => await requests.RequestAsync(context.Request, context.Organization, add, needs, cancellationToken),
            (AddAccessCommand add, PolicyDecision.Allowed) => await GrantAllowedAsync(add, context, cancellationToken),
            _ => AccessText.NotAGrantRequest(),
        };
        return outcome.ToExecution();
    }

    private async Task<AccessOutcome> GrantAllowedAsync(AddAccessCommand add, CommandContext context, CancellationToken cancellationToken)
    {
        if (add.Duration is null)
        {
            // Break-glass under a role that needs no approval is just a grant; without --for it has no end to enforce.
            return AccessText.BreakGlassNeedsDuration();
        }

        if (add.BreakGlass && string.IsNullOrWhiteSpace(add.Reason))
        {
            return AccessText.BreakGlassNeedsReason();
        }

        return add.BreakGlass
            ? await requests.GrantBreakGlassAsync(context.Request, context.Organization, add, cancellationToken)
            : await requests.GrantTimeBoundAsync(context.Request, context.Organization, add, cancellationToken);
    }
}
