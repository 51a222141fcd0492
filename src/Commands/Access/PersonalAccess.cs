using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Commands.Access;

/// <summary>
/// One person's own view of the access flow, the same on Slack's App Home and in Teams' "my access".
/// </summary>
/// <param name="Grants">My active grants, soonest end first.</param>
/// <param name="ToApprove">Others' open requests I may approve and have not approved yet, soonest deadline first.</param>
/// <param name="Mine">My open requests, soonest deadline first.</param>
/// <param name="Now">When it was read.</param>
public sealed record PersonalAccess(IReadOnlyList<AccessGrant> Grants, IReadOnlyList<AccessRequest> ToApprove, IReadOnlyList<AccessRequest> Mine, DateTimeOffset Now);

/// <summary>Reads <see cref="PersonalAccess"/> for one person from the access store and the policy.</summary>
public sealed class PersonalAccessReader(IAccessStore store, IAuthorizationPolicy policy, TimeProvider time)
{
    /// <summary>What <paramref name="caller"/> holds and is asked to decide.</summary>
    /// <param name="caller">The person.</param>
    /// <param name="approvalPlace">Where approving a request is judged, as the platform's approve button would be.</param>
    /// <param name="cancellationToken">Stops the reads.</param>
    public async Task<PersonalAccess> ReadAsync(ChatIdentity caller, Func<AccessRequest, ChatPlace> approvalPlace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(approvalPlace);
        var now = time.GetUtcNow();
        var grants = await store.ListActiveGrantsAsync(cancellationToken).ConfigureAwait(false);
        var open = (await store.ListPendingRequestsAsync(cancellationToken).ConfigureAwait(false))
            .Where(r => !r.IsPastDue(now))
            .OrderBy(r => r.ExpiresAt)
            .ToList();
        return new PersonalAccess(
            [.. grants.Where(g => g.Requester.UserId == caller.UserId).OrderBy(g => g.EndsAt)],
            [.. open.Where(r => r.Requester.UserId != caller.UserId && !r.HasApproved(caller.UserId) && policy.IsApprover(caller, approvalPlace(r), r.Requirement))],
            [.. open.Where(r => r.Requester.UserId == caller.UserId)],
            now);
    }
}
