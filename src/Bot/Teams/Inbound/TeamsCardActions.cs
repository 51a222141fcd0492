using System.Text.Json;
using System.Text.Json.Nodes;
using PscaleBot.Bot.Chat;
using PscaleBot.Commands.Model;

namespace PscaleBot.Bot.Teams.Inbound;

/// <summary>
/// Handles Adaptive Card <c>Action.Execute</c> invokes whose verb starts with <see cref="VerbPrefix"/>
/// (the access-request flow plugs in <c>access.approve</c>/<c>access.deny</c> this way). Register with
/// <c>services.AddSingleton&lt;ITeamsCardActionHandler, …&gt;()</c>. Teams waits about five seconds: answer
/// within the cancellation token and update the card later through the connector if the work is slow.
/// </summary>
public interface ITeamsCardActionHandler
{
    /// <summary>The verbs this handler owns; the longest matching prefix wins.</summary>
    string VerbPrefix { get; }

    /// <summary>Handles one action by an authenticated caller; the answer replaces the card or shows a message.</summary>
    Task<TeamsInvokeResponse> HandleAsync(TeamsCardAction action, CancellationToken cancellationToken);
}

/// <summary>One <c>Action.Execute</c> from an authenticated Teams user.</summary>
/// <param name="Verb">The action's verb.</param>
/// <param name="Data">The action's data merged with the card's inputs (an empty object when absent).</param>
/// <param name="Caller">Who clicked, by Entra object id and tenant.</param>
/// <param name="Place">Where the card is.</param>
/// <param name="ConversationId">The Teams conversation holding the card.</param>
/// <param name="CardActivityId">The id of the message that holds the card (<c>replyToId</c>), to update it later.</param>
public sealed record TeamsCardAction(
    string Verb,
    JsonElement Data,
    ChatIdentity Caller,
    ChatPlace Place,
    string ConversationId,
    string? CardActivityId);

/// <summary>The body of an <c>adaptiveCard/action</c> invoke response (<c>{statusCode, type, value}</c>).</summary>
/// <param name="StatusCode">200 for a card or message; 400/500 for errors.</param>
/// <param name="Type">The response type (card, message or error content type).</param>
/// <param name="Value">The card, the message text, or <c>{code, message}</c>.</param>
public sealed record TeamsInvokeResponse(int StatusCode, string Type, JsonNode? Value)
{
    /// <summary>Replaces the card with <paramref name="card"/>.</summary>
    public static TeamsInvokeResponse Card(JsonObject card) => new(200, "application/vnd.microsoft.card.adaptive", card);

    /// <summary>Shows <paramref name="text"/> to the user who clicked.</summary>
    public static TeamsInvokeResponse Message(string text) => new(200, "application/vnd.microsoft.activity.message", JsonValue.Create(text));

    /// <summary>An error the client shows; <paramref name="message"/> is for people and must hold no internals.</summary>
    public static TeamsInvokeResponse Error(int statusCode, string code, string message) =>
        new(statusCode, "application/vnd.microsoft.error", new JsonObject { ["code"] = code, ["message"] = message });

    internal JsonObject ToJson() => new()
    {
        ["statusCode"] = StatusCode,
        ["type"] = Type,
        ["value"] = Value?.DeepClone(),
    };
}

/// <summary>Routes an action to the handler with the longest matching verb prefix.</summary>
internal sealed class TeamsCardActionRouter(IEnumerable<ITeamsCardActionHandler> handlers)
{
    private readonly ActionPrefixRouter<ITeamsCardActionHandler> router = new(handlers, h => h.VerbPrefix);

    public ITeamsCardActionHandler? Find(string verb) => router.Find(verb);
}
