using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Commands.Execution;

/// <summary>
/// Which handler runs a command: the rule that sends a command to the access-request workflow, written once.
/// </summary>
public static class CommandRoutes
{
    /// <summary>
    /// The handler key for what must become an access request rather than a plain PlanetScale call: anything the
    /// policy put behind approval, and <c>add-access</c> with <c>--for</c> or <c>--break-glass</c>. Its handler is an
    /// <see cref="ICommandHandler{TCommand}"/> of <see cref="BotCommand"/>.
    /// </summary>
    public const string AccessRequest = "access-request";

    /// <summary>
    /// True when only the access-request workflow may run <paramref name="command"/> under <paramref name="decision"/>:
    /// the <c>access …</c> verbs, anything needing approval, and time-bound or break-glass grants (a plain POST
    /// would never be revoked).
    /// </summary>
    public static bool IsAccessWorkflow(BotCommand command, PolicyDecision decision) =>
        decision is PolicyDecision.NeedsApproval
        || command is AccessListCommand or AccessApproveCommand or AccessDenyCommand or AccessRevokeCommand or AccessExtendCommand or AccessCancelCommand
            or AddAccessCommand { Duration: not null } or AddAccessCommand { BreakGlass: true };

    /// <summary>
    /// The key <paramref name="command"/>'s handler is registered under: <see cref="AccessRequest"/> for a grant the
    /// workflow must file or time, otherwise the command's own type.
    /// </summary>
    public static object KeyOf(BotCommand command, PolicyDecision decision) =>
        decision is PolicyDecision.NeedsApproval || (command is AddAccessCommand && IsAccessWorkflow(command, decision))
            ? AccessRequest
            : command.GetType();
}
