using PscaleBot.Commands.Access;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Bot.Teams.Access;

/// <summary>
/// "My access": a person's active grants, the requests waiting for their approval, and their own pending requests,
/// the same content as Slack's App Home. Read from the access store with the rules <see cref="AccessListing"/> uses.
/// </summary>
/// <param name="Grants">My active grants, soonest end first.</param>
/// <param name="ToApprove">Others' pending requests I may approve, oldest deadline first.</param>
/// <param name="Mine">My pending requests.</param>
/// <param name="Now">When it was read.</param>
internal sealed record MyAccess(IReadOnlyList<AccessGrant> Grants, IReadOnlyList<AccessRequest> ToApprove, IReadOnlyList<AccessRequest> Mine, DateTimeOffset Now);

/// <summary>Reads <see cref="MyAccess"/> for one person.</summary>
internal sealed class MyAccessReader(IAccessStore store, IAuthorizationPolicy policy, TimeProvider time)
{
    /// <summary>What <paramref name="caller"/> has and is asked, judged in <paramref name="place"/> (where approver roles bind).</summary>
    public async Task<MyAccess> ReadAsync(ChatIdentity caller, ChatPlace place, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var pending = (await store.ListPendingRequestsAsync(cancellationToken)).Where(r => !r.IsPastDue(now)).OrderBy(r => r.ExpiresAt).ToList();
        var grants = await store.ListActiveGrantsAsync(cancellationToken);
        return new MyAccess(
            [.. grants.Where(g => g.Requester.UserId == caller.UserId).OrderBy(g => g.EndsAt)],
            [.. pending.Where(r => r.Requester.UserId != caller.UserId && policy.IsApprover(caller, place, r.Requirement))],
            [.. pending.Where(r => r.Requester.UserId == caller.UserId)],
            now);
    }
}
