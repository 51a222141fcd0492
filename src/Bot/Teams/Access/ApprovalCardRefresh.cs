using PscaleBot.Bot.Teams.Inbound;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Bot.Teams.Access;

/// <summary>
/// The Teams member ids (MRIs, <c>29:…</c>) of a request's approvers, for the approval card's <c>refresh.userIds</c>:
/// those named as <c>teams:user:</c> whom the bot has seen. Approvers named by role or group, or never seen, are not
/// refreshed automatically; they can still refresh the card by hand and get the buttons.
/// </summary>
internal sealed class ApproverMris(TeamsConversationDirectory directory)
{
    /// <summary>The MRIs, at most 60 (Teams' limit).</summary>
    public async Task<IReadOnlyList<string>> OfAsync(AccessRequest request, CancellationToken cancellationToken)
    {
        var mris = new List<string>();
        foreach (var approver in request.Requirement.Approvers.Where(a => a.StartsWith("teams:user:", StringComparison.OrdinalIgnoreCase)))
        {
            if (await directory.FindUserAsync(approver, cancellationToken) is { User.Id: { } id } && id.StartsWith("29:", StringComparison.Ordinal) && !mris.Contains(id))
            {
                mris.Add(id);
            }

            if (mris.Count == 60)
            {
                break;
            }
        }

        return mris;
    }
}

/// <summary>
/// The approval card's refresh (<c>adaptiveCard/action</c> with <see cref="AccessCards.ViewVerb"/>, sent by Teams when a
/// listed approver opens the card, or by anyone who refreshes it by hand): approvers who have not yet decided get
/// Approve and Deny; everyone else, the requester included, gets the status without buttons.
/// </summary>
internal sealed class ApprovalCardRefreshHandler(IAccessStore store, IAuthorizationPolicy policy, ApproverMris approverMris) : ITeamsCardActionHandler
{
    public string VerbPrefix => AccessCards.ViewVerb;

    public async Task<TeamsInvokeResponse> HandleAsync(TeamsCardAction action, CancellationToken cancellationToken)
    {
        if (action.Data.Id is not { } id || await store.GetRequestAsync(id, cancellationToken) is not { } request)
        {
            return TeamsInvokeResponse.Message("This request is no longer known to the bot; run `access list` to see what is pending.");
        }

        if (request.IsSettled)
        {
            return TeamsInvokeResponse.Card(AccessCards.Settled(request, null, request.DecisionNote));
        }

        var actions = AccessCards.RequestActions(request.Id);
        var mris = await approverMris.OfAsync(request, cancellationToken);
        var mayDecide = request.Requester.UserId != action.Caller.UserId
            && !request.HasApproved(action.Caller.UserId)
            && policy.IsApprover(action.Caller, action.Place, request.Requirement);
        return TeamsInvokeResponse.Card(mayDecide
            ? AccessCards.WithRefresh(AccessCards.Pending(request, actions), request.Id, mris)
            : AccessCards.ForEveryone(request, actions, mris));
    }
}
