using PscaleBot.Bot.Chat;
using PscaleBot.Bot.Teams.Protocol;
using PscaleBot.Bot.Teams.Protocol.Cards;
using PscaleBot.Commands.Model;

namespace PscaleBot.Bot.Teams.Inbound;

/// <summary>
/// Handles Adaptive Card <c>Action.Execute</c> invokes whose verb starts with <see cref="VerbPrefix"/>
/// (the access-request flow plugs in <c>access.approve</c>/<c>access.deny</c> this way). Register with
/// <c>services.AddSingleton&lt;ITeamsCardActionHandler, …&gt;()</c>. Teams waits about five seconds: answer
/// within the cancellation token and update the card later through the connector if the work is slow.
/// </summary>
internal interface ITeamsCardActionHandler
{
    /// <summary>The verbs this handler owns; the longest matching prefix wins.</summary>
    string VerbPrefix { get; }

    /// <summary>Handles one action by an authenticated caller; the answer replaces the card or shows a message.</summary>
    Task<TeamsInvokeResponse> HandleAsync(TeamsCardAction action, CancellationToken cancellationToken);
}

/// <summary>One <c>Action.Execute</c> from an authenticated Teams user.</summary>
/// <param name="Verb">The action's verb.</param>
/// <param name="Data">The button's data (empty when absent).</param>
/// <param name="Caller">Who clicked, by Entra object id and tenant.</param>
/// <param name="Place">Where the card is.</param>
/// <param name="ConversationId">The Teams conversation holding the card.</param>
/// <param name="CardActivityId">The id of the message that holds the card (<c>replyToId</c>), to update it later.</param>
internal sealed record TeamsCardAction(
    string Verb,
    CardActionData Data,
    ChatIdentity Caller,
    ChatPlace Place,
    string ConversationId,
    string? CardActivityId);

/// <summary>The answer to an <c>adaptiveCard/action</c> invoke: <c>{statusCode, type, value}</c>, the value being exactly one of a card, a text or an error.</summary>
/// <param name="StatusCode">200 for a card or message; 400/500 for errors.</param>
/// <param name="Type">The response type (card, message or error content type).</param>
/// <param name="UpdatedCard">The card that replaces the clicked one.</param>
/// <param name="Text">The message shown to the user who clicked.</param>
/// <param name="Failure">The error shown to the user who clicked.</param>
internal sealed record TeamsInvokeResponse(int StatusCode, string Type, AdaptiveCard? UpdatedCard, string? Text, InvokeError? Failure)
{
    /// <summary>Replaces the card with <paramref name="card"/>.</summary>
    public static TeamsInvokeResponse Card(AdaptiveCard card) => new(200, Attachment.AdaptiveCardContentType, card, null, null);

    /// <summary>Shows <paramref name="text"/> to the user who clicked.</summary>
    public static TeamsInvokeResponse Message(string text) => new(200, "application/vnd.microsoft.activity.message", null, text, null);

    /// <summary>An error the client shows; <paramref name="message"/> is for people and must hold no internals.</summary>
    public static TeamsInvokeResponse Error(int statusCode, string code, string message) =>
        new(statusCode, "application/vnd.microsoft.error", null, null, new InvokeError(code, message));

    /// <summary>The invoke's HTTP answer (always 200; the status the client acts on is in the body).</summary>
    internal IResult ToHttpResult() => this switch
    {
        { UpdatedCard: { } card } => Results.Json(new InvokeResponseBody<AdaptiveCard>(StatusCode, Type, card), TeamsJsonContext.Default.CardInvokeResponse),
        { Failure: { } error } => Results.Json(new InvokeResponseBody<InvokeError>(StatusCode, Type, error), TeamsJsonContext.Default.ErrorInvokeResponse),
        _ => Results.Json(new InvokeResponseBody<string>(StatusCode, Type, Text ?? ""), TeamsJsonContext.Default.MessageInvokeResponse),
    };
}

/// <summary>Routes an action to the handler with the longest matching verb prefix.</summary>
internal sealed class TeamsCardActionRouter(IEnumerable<ITeamsCardActionHandler> handlers)
{
    private readonly ActionPrefixRouter<ITeamsCardActionHandler> router = new(handlers, h => h.VerbPrefix);

    public ITeamsCardActionHandler? Find(string verb) => router.Find(verb);
}
