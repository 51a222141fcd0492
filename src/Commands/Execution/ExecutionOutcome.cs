using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Execution;

/// <summary>What running one allowed command produced.</summary>
/// <param name="Results">What to show the caller.</param>
/// <param name="Announcement">For successful changes, a line for the place; otherwise null.</param>
/// <param name="Outcome">The audit outcome.</param>
/// <param name="Visibility">Who may see it, when the handler decided; null to let the pipeline decide.</param>
public sealed record ExecutionOutcome(IReadOnlyList<CommandResult> Results, string? Announcement, string Outcome, ResponseVisibility? Visibility = null)
{
    /// <summary>True when an error is among the results.</summary>
    public bool Failed => Results.Any(r => r is ErrorResult);

    /// <summary>A single-result error, audited as <paramref name="outcome"/>.</summary>
    public static ExecutionOutcome Fail(ErrorResult error, string outcome) => new([error], null, outcome);

    /// <summary>
    /// One answer of the access workflow, audited as <c>ok</c> or <c>error: &lt;category&gt; (&lt;message&gt;)</c>;
    /// the announcement is kept only for a success.
    /// </summary>
    public static ExecutionOutcome Answer(CommandResult result, string? announcement, ResponseVisibility visibility)
    {
        var outcome = result is ErrorResult error ? $"error: {error.Category.ToString().ToLowerInvariant()} ({error.Message})" : "ok";
        return new ExecutionOutcome([result], result is ErrorResult ? null : announcement, outcome, visibility);
    }
}
