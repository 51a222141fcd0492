using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Grammar;

/// <summary>Cobra-style help built from the grammar, listing only what the caller may run.</summary>
public interface IHelpText
{
    /// <summary>
    /// Help for <paramref name="topic"/> (a sub-command, <c>access</c>, or null for the overview), with
    /// sub-commands filtered by <paramref name="isAllowed"/> (called with <see cref="BotCommand.PolicyName"/> values).
    /// </summary>
    HelpResult Build(string? topic, Func<string, bool> isAllowed);
}
