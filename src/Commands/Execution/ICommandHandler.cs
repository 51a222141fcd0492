using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Commands.Execution;

/// <summary>
/// Runs one kind of allowed command and answers with the result model. One small handler per sub-command,
/// registered in DI and found by <see cref="CommandHandlers"/> under the key <see cref="CommandRoutes.KeyOf"/> gives.
/// </summary>
/// <typeparam name="TCommand">The command it runs.</typeparam>
/// <remarks>
/// Handlers run inside the pipeline's PlanetScale call scope; the pipeline audits <see cref="ExecutionOutcome.Outcome"/>,
/// keeps errors and secrets private and adds the secret warning. Exceptions other than cancellation are worded by
/// <see cref="CommandHandlers"/>, so a handler need not catch what it cannot answer better.
/// </remarks>
public interface ICommandHandler<in TCommand>
    where TCommand : BotCommand
{
    /// <summary>Runs <paramref name="command"/> for <see cref="CommandContext.Request"/>'s caller.</summary>
    Task<ExecutionOutcome> HandleAsync(TCommand command, CommandContext context, CancellationToken cancellationToken);
}

/// <summary>Who runs a command, where, against which organization, under which policy decision.</summary>
/// <remarks>A class, not a record: it carries one piece of progress (<see cref="ChangeSent"/>) that must not be copied.</remarks>
/// <param name="request">The chat request the command came from (caller, place, text).</param>
/// <param name="organization">The organization it targets (flag or default).</param>
/// <param name="decision">The policy decision: <see cref="PolicyDecision.Allowed"/> or <see cref="PolicyDecision.NeedsApproval"/>.</param>
public sealed class CommandContext(ChatRequest request, string organization, PolicyDecision decision)
{
    /// <summary>The chat request the command came from (caller, place, text).</summary>
    public ChatRequest Request { get; } = request;

    /// <summary>The organization it targets (flag or default).</summary>
    public string Organization { get; } = organization;

    /// <summary>The policy decision: <see cref="PolicyDecision.Allowed"/> or <see cref="PolicyDecision.NeedsApproval"/>.</summary>
    public PolicyDecision Decision { get; } = decision;

    /// <summary>
    /// True once a handler has sent a change to PlanetScale: from then on a failure may or may not have taken
    /// effect, and its error says how to check.
    /// </summary>
    public bool ChangeSent { get; private set; }

    /// <summary>Records that the change is about to be sent.</summary>
    public void MarkChangeSent() => ChangeSent = true;
}
