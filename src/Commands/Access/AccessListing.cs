using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Commands.Access;

/// <summary><c>access list</c>: the pending requests and active grants a caller may see in a place.</summary>
public sealed class AccessListing(IAccessStore store, IAuthorizationPolicy policy, TimeProvider time)
{
    /// <summary>
    /// Pending requests and active grants <paramref name="caller"/> may see here: their own, those they approve, and
    /// those on tokens they may <c>show-access</c> here.
    /// </summary>
    public async Task<AccessListResult> ListAsync(ChatIdentity caller, ChatPlace place, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var rows = new List<AccessListRow>();
        foreach (var request in await store.ListPendingRequestsAsync(cancellationToken))
        {
            if (request.Requester.UserId == caller.UserId || policy.IsApprover(caller, place, request.Requirement) || MaySee(request.Target, caller, place))
            {
                rows.Add(AccessListRow.From(request, now));
            }
        }

        foreach (var grant in await store.ListActiveGrantsAsync(cancellationToken))
        {
            if (grant.Requester.UserId == caller.UserId || (grant.Requirement is { } r && policy.IsApprover(caller, place, r)) || MaySee(grant.Target, caller, place))
            {
                rows.Add(AccessListRow.From(grant, now));
            }
        }

        return new AccessListResult(rows, now);
    }

    private bool MaySee(AccessTarget target, ChatIdentity caller, ChatPlace place) =>
        policy.Authorize(caller, place, new ShowAccessCommand(CommonOptions.Default, target.TokenId), target.Organization) is PolicyDecision.Allowed;
}
