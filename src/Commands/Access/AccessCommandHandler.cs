using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Policy;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Access;

/// <summary>
/// Runs the <c>access …</c> commands and time-bound <c>add-access --for</c> for the pipeline, after the policy
/// allowed the sub-command. Answers are private to the caller; successful changes carry an announcement for the place.
/// </summary>
public sealed class AccessCommandHandler(AccessRequestService service)
{
    /// <summary>Whether this handler runs <paramref name="command"/> under <paramref name="decision"/>.</summary>
    public static bool Handles(BotCommand? command, PolicyDecision? decision) => command switch
    {
        AccessListCommand or AccessApproveCommand or AccessDenyCommand or AccessRevokeCommand or AccessExtendCommand or AccessCancelCommand => true,
        AddAccessCommand add => decision is PolicyDecision.NeedsApproval || (decision is PolicyDecision.Allowed && (add.Duration is not null || add.BreakGlass)),
        _ => false,
    };

    /// <summary>Runs a prepared command; anything it does not handle is answered with an internal error naming it.</summary>
    public async Task<CommandResponse> HandleAsync(PreparedCommand prepared, CancellationToken cancellationToken)
    {
        var command = prepared.Command;
        var format = command?.Options.Format ?? OutputFormat.Human;
        if (command is null || !Handles(command, prepared.Decision))
        {
            return Respond(AccessOutcome.Error($"The access handler can't run '{command?.PolicyName ?? "nothing"}'.", null, ErrorCategory.Internal), format, false);
        }

        var chat = prepared.Request;
        var outcome = command switch
        {
            AccessListCommand => new AccessOutcome(await service.ListAsync(chat.Caller, chat.Place, cancellationToken)),
            AccessApproveCommand approve => await service.ApproveAsync(approve.RequestId, chat.Caller, chat.Place, cancellationToken),
            AccessDenyCommand deny => await service.DenyAsync(deny.RequestId, chat.Caller, chat.Place, deny.Reason, cancellationToken),
            AccessCancelCommand cancel => await service.CancelAsync(cancel.RequestId, chat.Caller, chat.Place, cancellationToken),
            AccessRevokeCommand revoke => await service.RevokeAsync(revoke.GrantId, chat.Caller, chat.Place, cancellationToken),
            AccessExtendCommand extend => await service.ExtendAsync(chat, extend.GrantId, extend.Duration, extend.Reason, cancellationToken),
            AddAccessCommand add when prepared.Decision is PolicyDecision.NeedsApproval needs =>
                await service.RequestAsync(chat, prepared.Organization, add, needs, cancellationToken),
            AddAccessCommand add => await GrantAllowedAsync(prepared, add, cancellationToken),
            _ => AccessOutcome.Error("Unsupported access command.", null, ErrorCategory.Internal),
        };
        return Respond(outcome, format, command.Options.Public && command is AccessListCommand);
    }

    private async Task<AccessOutcome> GrantAllowedAsync(PreparedCommand prepared, AddAccessCommand add, CancellationToken cancellationToken)
    {
        if (add.Duration is null)
        {
            // Break-glass under a role that needs no approval is just a grant; without --for it has no end to enforce.
            return AccessOutcome.Error("--break-glass needs --for: how long the emergency access should last.", "For example --for 1h --break-glass --reason \"INC-123\".");
        }

        if (add.BreakGlass && string.IsNullOrWhiteSpace(add.Reason))
        {
            return AccessOutcome.Error("Break-glass access needs a reason everyone can read.", "Add --reason \"what you need it for\".");
        }

        return add.BreakGlass
            ? await service.GrantBreakGlassAsync(prepared.Request, prepared.Organization, add, cancellationToken)
            : await service.GrantTimeBoundAsync(prepared.Request, prepared.Organization, add, cancellationToken);
    }

    private static CommandResponse Respond(AccessOutcome outcome, OutputFormat format, bool isPublic) =>
        new([outcome.Result], format, isPublic ? ResponseVisibility.Public : ResponseVisibility.Private, outcome.Succeeded ? outcome.Announcement : null);
}

/// <summary>
/// The pipeline's approval gateway: for an <c>add-access</c> the policy answered with
/// <see cref="PolicyDecision.NeedsApproval"/>, files the request (or grants at once under break-glass or
/// on-call auto-approval) instead of calling PlanetScale directly.
/// </summary>
public sealed class AccessRequestGateway(AccessCommandHandler handler)
{
    /// <summary>Files the approval request for <paramref name="prepared"/>.</summary>
    public Task<CommandResponse> RequestAsync(PreparedCommand prepared, CancellationToken cancellationToken)
    {
        if (prepared.Command is not AddAccessCommand || prepared.Decision is not PolicyDecision.NeedsApproval)
        {
            return Task.FromResult(new CommandResponse(
                [new ErrorResult("Only add-access that needs approval can be sent for approval.", null, null, ErrorCategory.Internal)],
                prepared.Command?.Options.Format ?? OutputFormat.Human,
                ResponseVisibility.Private));
        }

        return handler.HandleAsync(prepared, cancellationToken);
    }
}
