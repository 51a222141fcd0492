using PscaleBot.Commands.Execution;

namespace PscaleBot.Commands.Access;

/// <summary>
/// The pipeline's <see cref="IApprovalGateway"/> once access requests are enabled: approval-gated
/// <c>add-access</c> is filed as a request (<see cref="AccessRequestGateway"/>), and the <c>access …</c>
/// commands, time-bound and break-glass grants run through <see cref="AccessCommandHandler"/>.
/// </summary>
/// <remarks>
/// Registered by the host's <c>AddAccessRequests()</c> in place of <see cref="ExplainingApprovalGateway"/>.
/// The pipeline has already parsed, authorised and (for dry runs) answered; this only runs the workflow.
/// </remarks>
public sealed class AccessApprovalGateway(AccessRequestGateway requests, AccessCommandHandler handler) : IApprovalGateway
{
    /// <inheritdoc />
    public Task<CommandResponse> RequestApprovalAsync(PreparedCommand prepared, CancellationToken cancellationToken) =>
        requests.RequestAsync(prepared, cancellationToken);

    /// <inheritdoc />
    public Task<CommandResponse> HandleAccessCommandAsync(PreparedCommand prepared, CancellationToken cancellationToken) =>
        handler.HandleAsync(prepared, cancellationToken);
}
