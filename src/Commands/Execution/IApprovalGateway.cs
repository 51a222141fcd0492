using PscaleBot.Commands.Results;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Commands.Execution;

/// <summary>
/// Where the pipeline hands what it cannot finish on its own: grants the policy puts behind approval
/// (<see cref="PolicyDecision.NeedsApproval"/>) and the <c>access …</c> commands of the request workflow.
/// The default, <see cref="ExplainingApprovalGateway"/>, only explains who could approve; the access-request
/// workflow replaces it by registering its own implementation (see <see cref="CommandExecutionExtensions"/>).
/// </summary>
public interface IApprovalGateway
{
    /// <summary>
    /// Answers an allowed-after-approval command: opens (or explains) the request. Called from
    /// <see cref="ICommandPipeline.ExecuteAsync"/> inside the PlanetScale call scope, and audited by the pipeline.
    /// </summary>
    Task<GatewayAnswer> RequestApprovalAsync(PreparedCommand prepared, PolicyDecision.NeedsApproval decision, CancellationToken cancellationToken);

    /// <summary>Runs an allowed <c>access list|approve|deny|revoke|extend|cancel</c> command.</summary>
    Task<GatewayAnswer> HandleAccessCommandAsync(PreparedCommand prepared, CancellationToken cancellationToken);
}

/// <summary>What the gateway answered.</summary>
/// <param name="Results">What to show the caller.</param>
/// <param name="Announcement">A line for everyone in the place (a request was opened), or null.</param>
/// <param name="Outcome">The audit outcome (<c>ok</c>, <c>request opened</c>, <c>error: …</c>).</param>
public sealed record GatewayAnswer(IReadOnlyList<CommandResult> Results, string? Announcement, string Outcome);
