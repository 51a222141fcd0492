using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Access;

/// <summary>What an access operation answered, plus what it changed (for callers and tests).</summary>
/// <param name="Result">The answer for the caller.</param>
/// <param name="Announcement">A line for everyone in the place, for successful changes.</param>
/// <param name="Request">The request concerned, as stored afterwards.</param>
/// <param name="Grant">The grant concerned, as stored afterwards.</param>
public sealed record AccessOutcome(CommandResult Result, string? Announcement = null, AccessRequest? Request = null, AccessGrant? Grant = null)
{
    /// <summary>True unless the answer is an error.</summary>
    public bool Succeeded => Result is not ErrorResult;

    /// <summary>An error answer.</summary>
    public static AccessOutcome Error(string message, string? hint = null, ErrorCategory category = ErrorCategory.Usage) =>
        new(new ErrorResult(message, hint, null, category));

    /// <summary>A plain answer.</summary>
    public static AccessOutcome Info(string text, AccessRequest? request = null, AccessGrant? grant = null) =>
        new(new MessageResult(text), null, request, grant);

    /// <summary>The answer as the pipeline takes it: the only conversion of an access answer (private unless the caller asked otherwise).</summary>
    public ExecutionOutcome ToExecution(ResponseVisibility visibility = ResponseVisibility.Private) =>
        ExecutionOutcome.Answer(Result, Announcement, visibility);
}
