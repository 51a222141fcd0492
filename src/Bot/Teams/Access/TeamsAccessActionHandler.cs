using PscaleBot.Bot.Teams.Inbound;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Results;

namespace PscaleBot.Bot.Teams.Access;

/// <summary>
/// Approve / Deny / Extend / Revoke buttons. A click becomes the typed command (<c>access approve r-7kq2</c>)
/// run through <see cref="ICommandPipeline"/> as the person who clicked, so it passes exactly the checks a
/// typed command does. Refusals come back as a message to the clicker and leave the card as it is; a settled
/// request replaces the card with its outcome. The domain settles a request once, whatever is re-delivered.
/// </summary>
internal sealed class TeamsAccessActionHandler(ICommandPipeline pipeline, IServiceProvider services) : ITeamsCardActionHandler
{
    private static readonly Dictionary<string, string> Words = new(StringComparer.Ordinal)
    {
        [AccessActionIds.Approve] = "approve",
        [AccessActionIds.Deny] = "deny",
        [AccessActionIds.Extend] = "extend",
        [AccessActionIds.Revoke] = "revoke",
        [CancelVerb] = "cancel",
    };

    /// <summary>Cancel one's own pending request (on the "My access" card); Teams-only, so not among the domain's action ids.</summary>
    public const string CancelVerb = "pscale.access.cancel";

    public string VerbPrefix => "pscale.access.";

    public async Task<TeamsInvokeResponse> HandleAsync(TeamsCardAction action, CancellationToken cancellationToken)
    {
        if (!Words.TryGetValue(action.Verb, out var word))
        {
            return TeamsInvokeResponse.Error(400, "NotSupported", "This button is not supported any more. Type the command instead (see `help access`).");
        }

        var id = action.Data.Id;
        if (CommandFor(action.Verb, id, action.Data.For) is not { } text)
        {
            return TeamsInvokeResponse.Error(400, "BadRequest", "This button does not say which request or grant it is for. Type the command instead.");
        }

        var response = await pipeline.RunAsync(new ChatRequest(action.Caller, action.Place, text), cancellationToken);

        if (response.Results.OfType<ErrorResult>().FirstOrDefault() is { } error)
        {
            var message = error.Category == ErrorCategory.Denied
                ? $"You cannot {word} this: {error.Message}"
                : error.Message + (error.Hint is null ? "" : " " + error.Hint);
            return TeamsInvokeResponse.Message(message);
        }

        if (word is "approve" or "deny" && services.GetService<IAccessStore>() is { } store
            && await store.GetRequestAsync(id!, cancellationToken) is { } request)
        {
            // Still pending (more approvals needed): the clicker has decided, so they see the status, as everyone does.
            return TeamsInvokeResponse.Card(request.IsSettled
                ? AccessCards.Settled(request, action.Caller.DisplayName)
                : AccessCards.ForEveryone(request, AccessCards.RequestActions(request.Id),
                    services.GetService<ApproverMris>() is { } mris ? await mris.OfAsync(request, cancellationToken) : []));
        }

        var said = string.Join(" ", response.Results.OfType<MessageResult>().Select(m => m.Text));
        return TeamsInvokeResponse.Message(said.Length > 0 ? said : $"Done: {text}.");
    }

    // The id lands in command text, so only the exact shape the bot generates is accepted, as for the domain's actions.
    private static string? CommandFor(string verb, string? id, string? duration) =>
        verb == CancelVerb
            ? id is not null && id.StartsWith(AccessIdGenerator.RequestPrefix, StringComparison.Ordinal)
              && string.Equals(AccessIdGenerator.Normalize(id, AccessIdGenerator.RequestPrefix), id, StringComparison.Ordinal)
                ? $"access cancel {id}"
                : null
            : AccessActionCommand.For(verb, id, duration);

}
