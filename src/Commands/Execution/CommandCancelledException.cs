namespace PscaleBot.Commands.Execution;

/// <summary>
/// A command was cut off while it ran, and its audit row (outcome <c>cancelled</c>, with the PlanetScale request ids
/// made so far) is already written. Whoever cancelled it tells the requester, but writes no second row.
/// </summary>
public sealed class CommandCancelledException : OperationCanceledException
{
    /// <summary>For <paramref name="cancellationToken"/>, the token that was cancelled.</summary>
    public CommandCancelledException(CancellationToken cancellationToken)
        : base("The command was cancelled while it ran; its audit row is written.", cancellationToken)
    {
    }
}
