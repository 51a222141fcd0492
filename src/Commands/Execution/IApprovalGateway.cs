using PscaleBot.Commands.Policy;

namespace PscaleBot.Commands.Execution;

/// <summary>
/// Where the pipeline hands what only the access-request workflow may do: grants the policy puts behind
/// approval (<see cref="PolicyDecision.NeedsApproval"/>), time-bound or break-glass <c>add-access</c>
/// (<c>--for</c>, <c>--break-glass</c>: a plain grant would never be revoked), and the <c>access …</c> commands.
/// The default, <see cref="ExplainingApprovalGateway"/>, changes nothing and explains; the access-request
/// workflow replaces it (see <see cref="CommandExecutionExtensions.AddCommandExecution"/>).
/// </summary>
/// <remarks>
/// Both methods run inside the pipeline's PlanetScale call scope; the pipeline audits their answer
/// (<c>ok</c>, or <c>error: &lt;category&gt; (&lt;message&gt;)</c>), keeps errors and secrets private and adds the
/// secret warning. Exceptions other than cancellation become an internal error.
/// </remarks>
public interface IApprovalGateway
{
    /// <summary>Answers a command the policy allowed only after approval (<see cref="PreparedCommand.Decision"/> is <see cref="PolicyDecision.NeedsApproval"/>).</summary>
    Task<CommandResponse> RequestApprovalAsync(PreparedCommand prepared, CancellationToken cancellationToken);

    /// <summary>Runs an allowed <c>access list|approve|deny|revoke|extend|cancel</c>, or an allowed <c>add-access</c> with <c>--for</c> or <c>--break-glass</c>.</summary>
    Task<CommandResponse> HandleAccessCommandAsync(PreparedCommand prepared, CancellationToken cancellationToken);
}
